import { runService } from '@shop/platform/service';
import { buildInventoryService } from './app.ts';
import { loadInventoryConfig } from './config.ts';

await runService(() => buildInventoryService(loadInventoryConfig()));
