import { runService } from '@shop/platform/service';
import { buildOrderService } from './app.ts';
import { loadOrderConfig } from './config.ts';

await runService(() => buildOrderService(loadOrderConfig()));
