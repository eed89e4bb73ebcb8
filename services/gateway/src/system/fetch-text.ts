import { get } from 'node:http';

/**
 * GET a URL's text with node:http (not fetch: fetch refuses the "bad port" 6000 that
 * inventory-service listens on). Never throws: an unreachable service is an answer here.
 */
export function fetchText(url: string, timeoutMs: number): Promise<{ status: number; text: string } | { error: string }> {
  return new Promise((resolve) => {
    const request = get(url, { signal: AbortSignal.timeout(timeoutMs) }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', (error) => resolve({ error: error.message }));
    });
    request.on('error', (error) => resolve({ error: error.name === 'AbortError' ? `no answer within ${timeoutMs} ms` : error.message }));
  });
}
