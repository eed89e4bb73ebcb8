import { request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError, unavailable } from '../errors.ts';
import { outgoingTraceparent } from '../trace.ts';

export interface ServiceResponse<T = unknown> {
  status: number;
  body: T;
}

export interface ServiceClient {
  /**
   * Calls another service with this service's credential (or `token`) and the current trace context.
   * Resolves with any HTTP answer below 500; throws 503 DEPENDENCY_UNAVAILABLE when the service
   * cannot be reached or fails. Retries only where repeating is safe: GET, or when `idempotent`.
   */
  request<T = unknown>(
    method: string,
    path: string,
    options?: { body?: unknown; idempotent?: boolean; token?: string; headers?: Record<string, string> },
  ): Promise<ServiceResponse<T>>;
}

export interface ServiceClientOptions {
  name: string;
  baseUrl: string;
  timeoutMs: number;
  serviceToken: () => string;
  retries?: number;
}

/**
 * One HTTP exchange with node:http (keep-alive by default). Not fetch: fetch refuses the
 * spec's "bad ports", and inventory-service's contract port 6000 (X11) is one of them.
 */
function exchange(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  timeoutMs: number,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    // A timer of our own, cleared with the answer: AbortSignal.timeout() cannot be cancelled, so
    // every call left a timer behind that fired (and built an exception) long after the answer.
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(new Error(`${url.host} did not answer within ${timeoutMs} ms`)), timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    const req = httpRequest(url, { method, headers, signal: abort.signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end(body);
  });
}

export function createServiceClient(options: ServiceClientOptions): ServiceClient {
  const retries = options.retries ?? 2;
  return {
    async request(method, path, { body, idempotent, token, headers } = {}) {
      const safe = method === 'GET' || method === 'HEAD' || idempotent === true;
      const attempts = safe ? retries + 1 : 1;
      const payload = body === undefined ? undefined : JSON.stringify(body);
      let lastError: unknown;
      for (let attempt = 1; attempt <= attempts; attempt++) {
        try {
          const response = await exchange(
            new URL(path, options.baseUrl),
            method,
            {
              authorization: `Bearer ${token ?? options.serviceToken()}`,
              traceparent: outgoingTraceparent(),
              accept: 'application/json',
              ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }),
              ...headers,
            },
            payload,
            options.timeoutMs,
          );
          const parsed = response.text ? JSON.parse(response.text) : undefined;
          if (response.status < 500) return { status: response.status, body: parsed };
          lastError = new Error(`${options.name} answered ${response.status}`);
        } catch (error) {
          lastError = error;
        }
        if (attempt < attempts) await sleep(100 * 2 ** (attempt - 1));
      }
      if (lastError instanceof AppError) throw lastError;
      throw unavailable(options.name, lastError);
    },
  };
}
