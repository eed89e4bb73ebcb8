import { statSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import { problem, sendProblem } from '@shop/platform/http/problem';
import type { HttpApp } from '@shop/platform/http/server';
import { webTarget } from './web-path.ts';

const isFileIn = (root: string) => (relative: string) => {
  try {
    return statSync(join(root, relative)).isFile();
  } catch {
    return false;
  }
};

// Vite names the files under assets/ by their content: they never change, so browsers may keep them.
const cacheControlFor = (path: string) => (path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');

const notBuiltPage = (dir: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Shop: web app not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5">
<h1>The web app is not built yet</h1>
<p>The gateway serves the web app from <code>${dir.replace(/[<>&]/g, '')}</code>, which has no <code>index.html</code>. Build it with</p>
<pre>npm run build --workspace web</pre>
<p>and reload this page (no restart needed). <code>./scripts/run.sh</code> builds it for you. The API is up meanwhile: <a href="/docs">/docs</a>.</p>
</body></html>
`;

/**
 * Serves the built web app (`web/dist`) at `/`: its files as they are, every other path outside
 * `/api/` as index.html so the single-page app can route it. Looked up per request, so a rebuild
 * is served without a restart.
 */
export async function registerWebApp(app: HttpApp, distDir: string): Promise<void> {
  await app.register(fastifyStatic, {
    root: distDir,
    serve: false,
    suppressWarning: true,
    cacheControl: false,
    setHeaders: (reply, path) => reply.header('cache-control', cacheControlFor(path)),
  });
  const isFile = isFileIn(distDir);
  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (path === '/api' || path.startsWith('/api/')) {
      return sendProblem(request, reply, problem('NOT_FOUND', `No route ${request.method} ${path}`));
    }
    if (!isFile('index.html')) return reply.status(503).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(notBuiltPage(distDir));
    const target = webTarget(path, isFile);
    if (target.kind === 'file') return reply.sendFile(target.path);
    if (target.kind === 'missing') return sendProblem(request, reply, problem('NOT_FOUND', `No file ${path}`));
    return reply.sendFile('index.html');
  });
}
