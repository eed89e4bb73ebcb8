import { runService } from '@shop/platform/service';
import { buildGatewayService } from './app.ts';
import { loadGatewayConfig } from './config.ts';

await runService(() => buildGatewayService(loadGatewayConfig()));
