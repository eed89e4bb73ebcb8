import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// In production the gateway serves web/dist and forwards /api/<service>/... . For `npm run dev`
// the dev server does that forwarding itself: to the gateway when GATEWAY_URL is set, else to each
// service at <SERVICE>_SERVICE_URL (default: its usual local port).
const ports = { user: 8080, product: 4000, inventory: 6000, cart: 9000, order: 7000, payment: 3000, notification: 2000, gateway: 8000 };

function proxy() {
  const gateway = process.env.GATEWAY_URL;
  if (gateway) return { '/api': { target: gateway, changeOrigin: true } };
  return Object.fromEntries(
    Object.entries(ports).map(([name, port]) => [
      `/api/${name}`,
      {
        target: process.env[`${name.toUpperCase()}_SERVICE_URL`] ?? `http://127.0.0.1:${port}`,
        changeOrigin: true,
        rewrite: (path: string) => path.slice(`/api/${name}`.length) || '/',
      },
    ]),
  );
}

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
  server: { proxy: proxy() },
});
