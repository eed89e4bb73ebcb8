import { runService } from '@shop/platform/service';
import { buildNotificationService } from './app.ts';
import { loadNotificationConfig } from './config.ts';

await runService(() => buildNotificationService(loadNotificationConfig()));
