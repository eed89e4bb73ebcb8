import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Mailbox, StoredMail } from './mailbox.ts';
import type { Refusals } from './refusals.ts';

const MAX_BODY = 10_000;

function send(res: ServerResponse, status: number, body?: unknown, type = 'application/json'): void {
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' }).end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) {
    text += chunk;
    if (text.length > MAX_BODY) throw new Error('body too large');
  }
  return JSON.parse(text);
}

const html = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(mails: StoredMail[]): string {
  const rows = mails
    .toReversed()
    .map(
      (m) =>
        `<tr><td>${html(m.date)}</td><td>${html(m.from)}</td><td>${html(m.to.join(', '))}</td><td>${html(m.subject)}</td><td><pre>${html(m.text)}</pre></td></tr>`,
    )
    .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Mail catcher</title>
<style>body{font-family:sans-serif;margin:1rem}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3rem;vertical-align:top;text-align:left}pre{margin:0;white-space:pre-wrap}</style>
</head><body><h1>Mail catcher</h1><p>${mails.length} mail(s), newest first. JSON: <a href="/api/messages">/api/messages</a></p>
<table><tr><th>Date</th><th>From</th><th>To</th><th>Subject</th><th>Text</th></tr>
${rows}</table></body></html>`;
}

/** The HTTP side: list and clear mails, switch refusal on and off, and a plain HTML page. */
export function createHttpApi(mailbox: Mailbox, refusals: Refusals): Server {
  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const key = `${req.method} ${url.pathname}`;
    switch (key) {
      case 'GET /':
        return send(res, 200, page(await mailbox.list()), 'text/html');
      case 'GET /api/health':
        return send(res, 200, { status: 'ok' });
      case 'GET /api/messages':
        return send(res, 200, await mailbox.list(url.searchParams.get('to') ?? undefined));
      case 'DELETE /api/messages':
        await mailbox.clear();
        return send(res, 204);
      case 'GET /api/refuse':
        return send(res, 200, refusals.state());
      case 'POST /api/refuse': {
        const body = (await readJson(req).catch(() => null)) as { on?: unknown; to?: unknown } | null;
        const valid = body && typeof body.on === 'boolean' && (body.to === undefined || typeof body.to === 'string');
        if (!valid) return send(res, 400, { error: 'send {"on": true|false, "to"?: "<address>"}' });
        refusals.set(body.on as boolean, body.to as string | undefined);
        return send(res, 200, refusals.state());
      }
      default:
        return send(res, 404, { error: `no route ${key}` });
    }
  }
  return createServer((req, res) => {
    route(req, res).catch((error: Error) => send(res, 500, { error: error.message }));
  });
}
