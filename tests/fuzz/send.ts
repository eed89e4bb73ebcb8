import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Case } from './generate.ts';

export interface Answer {
  /** 0 when no HTTP answer came (connection refused or reset, timeout). */
  status: number;
  contentType: string;
  text: string;
  error?: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 8 });

/** Sends a case byte for byte (node:http, so malformed bodies, odd paths and chunking stay as generated). */
export function send(baseUrl: string, c: Case, authorization: string | undefined, timeoutMs = 15_000): Promise<Answer> {
  const body = c.body === undefined ? undefined : Buffer.from(c.body);
  const headers: Record<string, string> = { ...c.headers };
  if (authorization !== undefined) headers.authorization = authorization;
  if (body && !c.chunked) headers['content-length'] = String(body.length);
  if (body && c.chunked) headers['transfer-encoding'] = 'chunked';
  const url = new URL(baseUrl);
  return new Promise((resolve) => {
    let settled = false;
    let answered = false;
    let heard: () => void = () => {};
    const response = new Promise<void>((hear) => {
      heard = hear;
    });
    const done = (answer: Answer) => {
      if (!settled) {
        settled = true;
        resolve(answer);
      }
    };
    const req = request({ agent, host: url.hostname, port: url.port, method: c.method, path: c.url, headers, timeout: timeoutMs }, (res) => {
      answered = true;
      heard();
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        done({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString() });
        if (!req.writableFinished) req.destroy(); // answered before the whole body went: drop the rest
      });
      res.on('error', (error) => done({ status: 0, contentType: '', text: '', error: error.message }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error) => done({ status: 0, contentType: '', text: '', error: error.message }));
    void (async () => {
      // A big body goes in slices, after a pause for an early answer (413 on the content-length):
      // a server that closes with unread data resets the connection, and a reset can discard an
      // answer the client has not read yet.
      const slice = 16 * 1024;
      for (let at = 0; body && at < body.length && !answered && !req.destroyed; at += slice) {
        if (!req.write(body.subarray(at, at + slice))) await new Promise((next) => req.once('drain', next).once('close', next));
        if (at === 0 && body.length > 4 * slice) await Promise.race([response, sleep(500)]);
      }
      if (!answered && !req.destroyed) req.end();
    })();
  });
}

/** What is wrong with an answer, or undefined: never a 5xx, and every 4xx a problem+json naming its status. */
export function complaintAbout(answer: Answer): string | undefined {
  if (answer.status === 0) return `no HTTP answer (${answer.error})`;
  if (answer.status >= 500) return `server error ${answer.status}`;
  if (answer.status < 400) return undefined;
  if (!answer.contentType.startsWith('application/problem+json'))
    return `${answer.status} with content-type "${answer.contentType}", not application/problem+json`;
  let problem: Record<string, unknown>;
  try {
    problem = JSON.parse(answer.text);
  } catch {
    return `${answer.status} problem+json that is not JSON`;
  }
  if (problem.status !== answer.status) return `problem status ${JSON.stringify(problem.status)} differs from HTTP ${answer.status}`;
  const missing = ['type', 'title', 'detail', 'code'].filter((key) => typeof problem[key] !== 'string' || problem[key] === '');
  if (missing.length > 0) return `${answer.status} problem without ${missing.join(', ')}`;
  return undefined;
}

/** A curl command reproducing the request (long bodies are described, not inlined). */
export function curlOf(baseUrl: string, c: Case, authorization: string | undefined): string {
  // Long runs of one character are abbreviated (e.g. <3000×x>), so the command stays readable.
  const quote = (text: string) => `'${text.replaceAll("'", `'\\''`).replace(/(.)\1{39,}/gsu, (run, char: string) => `<${run.length / char.length}×${char}>`)}'`;
  const parts = ['curl -i', '-X', c.method, quote(baseUrl + c.url)];
  for (const [name, value] of Object.entries(c.headers)) parts.push('-H', quote(`${name}: ${value}`));
  if (authorization !== undefined) parts.push('-H', quote(`authorization: ${authorization.length > 30 ? '<token>' : authorization}`));
  if (c.chunked) parts.push('-H', quote('transfer-encoding: chunked'));
  if (c.body !== undefined) {
    const text = c.body.toString();
    parts.push('--data-binary', text.length > 400 ? `<${text.length} bytes: ${quote(`${text.slice(0, 120)}…`)}>` : quote(text));
  }
  return parts.join(' ');
}

/** GET a JSON document (node:http, like every request here: fetch refuses some ports, 6000 among them). */
export async function getJson<T>(baseUrl: string, path: string): Promise<T> {
  const answer = await send(baseUrl, { label: path, method: 'GET', url: path, headers: {}, mayBeValid: true }, undefined);
  if (answer.status !== 200) throw new Error(`GET ${baseUrl}${path} answered ${answer.status}: ${answer.text.slice(0, 200)}`);
  return JSON.parse(answer.text) as T;
}
