import { runService } from '@shop/platform/service';
import { buildCartService } from './app.ts';
import { loadCartConfig } from './config.ts';

await runService(() => buildCartService(loadCartConfig()));
