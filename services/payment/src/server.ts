import { runService } from '@shop/platform/service';
import { buildPaymentService } from './app.ts';
import { loadPaymentConfig } from './config.ts';

await runService(() => buildPaymentService(loadPaymentConfig()));
