import { runService } from '@shop/platform/service';
import { buildUserService } from './app.ts';
import { loadUserConfig } from './config.ts';

await runService(() => buildUserService(loadUserConfig()));
