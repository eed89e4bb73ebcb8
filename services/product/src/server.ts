import { runService } from '@shop/platform/service';
import { buildProductService } from './app.ts';
import { loadProductConfig } from './config.ts';

await runService(() => buildProductService(loadProductConfig()));
