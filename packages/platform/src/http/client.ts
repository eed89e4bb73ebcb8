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

export function createServiceClient(options: ServiceClientOptions): ServiceClient {
  const retries = options.retries ?? 2;
  return {
    async request(method, path, { body, idempotent, token, headers } = {}) {
      const safe = method === 'GET' || method === 'HEAD' || idempotent === true;
      const attempts = safe ? retries + 1 : 1;
      let lastError: unknown;
      for (let attempt = 1; attempt <= attempts; attempt++) {
        try {
          const response = await fetch(new URL(path, options.baseUrl), {
            method,
            signal: AbortSignal.timeout(options.timeoutMs),
            headers: {
              authorization: `Bearer ${token ?? options.serviceToken()}`,
              traceparent: outgoingTraceparent(),
              accept: 'application/json',
              ...(body === undefined ? {} : { 'content-type': 'application/json' }),
              ...headers,
            },
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          });
          const text = await response.text();
          const parsed = text ? JSON.parse(text) : undefined;
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
