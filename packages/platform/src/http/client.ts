import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, circuitBreaker, ExponentialBackoff, handleAll, type IBackoff } from 'cockatiel';
import type { Static, TSchema } from 'typebox';
import { DEADLINE_HEADER, remainingMs } from '../deadline.ts';
import { AppError, unavailable } from '../errors.ts';
import { traceHeaders } from '../telemetry/context.ts';
import { decodeBody, unexpectedAnswer } from './decode.ts';
import { measureCalls } from './dependency-metrics.ts';
import { createRetryBudget, type RetryBudget } from './retry-budget.ts';

export interface ServiceResponse<T = unknown> {
  status: number;
  body: T;
}

export interface ServiceClient {
  /**
   * Calls another service with this service's credential (or `token`) and the current trace context
   * and deadline. Resolves with any HTTP answer below 500; throws 503 DEPENDENCY_UNAVAILABLE when
   * the service cannot be reached, fails, or the time is up. Retries only where repeating is safe
   * (GET, or `idempotent`), within the retry budget and the caller's deadline.
   */
  request<T = unknown>(
    method: string,
    path: string,
    options?: { body?: unknown; idempotent?: boolean; token?: string; headers?: Record<string, string> },
  ): Promise<ServiceResponse<T>>;
  /**
   * `GET path`, its 200 body decoded with the contract's `schema`; null on 404. Any other answer,
   * or a body the schema does not allow, is a 503 naming it: a changed shape fails loudly.
   */
  get<S extends TSchema>(path: string, schema: S): Promise<Static<S> | null>;
  /** closed, open (calls fail at once) or half-open (one call tries). */
  readonly circuit: 'closed' | 'open' | 'half-open';
}

export interface ServiceClientOptions {
  name: string;
  baseUrl: string;
  /** The longest one attempt may take; less when the current request has less time left. */
  timeoutMs: number;
  serviceToken: () => string;
  /** Attempts after the first for a call that is safe to repeat. */
  retries?: number;
  /** Consecutive failures that open the circuit, and how long it stays open before one call tries again. */
  breaker?: { failures: number; halfOpenAfterMs: number };
  budget?: RetryBudget;
}

/** The request never left this process (refused connection, unknown host, open circuit): nothing happened there. */
export class NotReachedError extends Error {
  override name = 'NotReachedError';
}

/** True when a call failed without reaching the other service, so it certainly did nothing. */
export function neverReached(error: unknown): boolean {
  return error instanceof AppError && error.cause instanceof NotReachedError;
}

const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN', 'ENETUNREACH']);

/** A 5xx answer, thrown inside the breaker so it counts as a failure. */
class ServerError extends Error {
  override name = 'ServerError';
}

/** Too little time left for an attempt to be worth making. */
const MIN_ATTEMPT_MS = 20;

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
    // `http.request` looked up at call time: when spans are recorded, the OpenTelemetry
    // instrumentation wraps it (a client span, and that span's `traceparent` header).
    const req = http.request(url, { method, headers, signal: abort.signal }, (res) => {
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

const circuitNames = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'open',
} as const;

export function createServiceClient(options: ServiceClientOptions): ServiceClient {
  const retries = options.retries ?? 2;
  const budget = options.budget ?? createRetryBudget();
  // A dependency that keeps failing is given a rest: calls fail at once (503) instead of each
  // waiting for its timeout, and one call every `halfOpenAfterMs` finds out whether it is back.
  const breaker = circuitBreaker(handleAll, {
    halfOpenAfter: options.breaker?.halfOpenAfterMs ?? 2_000,
    breaker: new ConsecutiveBreaker(options.breaker?.failures ?? 5),
  });
  // Exponential with full jitter (cockatiel's default generator), so retries of many callers spread out.
  const backoff = new ExponentialBackoff({ initialDelay: 50, maxDelay: 1_000 });

  const client: ServiceClient = {
    get circuit() {
      return circuitNames[breaker.state];
    },

    async get(path, schema) {
      const { status, body } = await client.request('GET', path);
      if (status === 404) return null;
      if (status !== 200) throw unexpectedAnswer(options.name, status, body);
      return decodeBody(schema, body, options.name);
    },

    async request(method, path, { body, idempotent, token, headers } = {}) {
      const safe = method === 'GET' || method === 'HEAD' || idempotent === true;
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const url = new URL(path, options.baseUrl);
      budget.recordRequest();
      let reached = false;
      let lastError: unknown;
      let delay: IBackoff<void> | undefined;
      for (let attempt = 0; ; attempt++) {
        const left = remainingMs();
        if (left < MIN_ATTEMPT_MS) {
          lastError ??= new Error(`no time left for ${options.name}: the caller's deadline has passed`);
          break;
        }
        const timeoutMs = Math.min(options.timeoutMs, left);
        try {
          const response = await breaker.execute(async () => {
            try {
              const answer = await exchange(
                url,
                method,
                {
                  authorization: `Bearer ${token ?? options.serviceToken()}`,
                  accept: 'application/json',
                  [DEADLINE_HEADER]: String(Math.floor(timeoutMs)),
                  // The current trace. When spans are recorded, the HTTP instrumentation replaces it
                  // with its client span's (telemetry/sdk.ts).
                  ...traceHeaders(),
                  ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }),
                  ...headers,
                },
                payload,
                timeoutMs,
              );
              reached = true;
              if (answer.status >= 500) throw new ServerError(`${options.name} answered ${answer.status}`);
              return answer;
            } catch (error) {
              if (!CONNECT_ERRORS.has((error as NodeJS.ErrnoException).code ?? '')) reached = true;
              throw error;
            }
          });
          return { status: response.status, body: response.text ? JSON.parse(response.text) : undefined };
        } catch (error) {
          lastError = error;
          if (error instanceof BrokenCircuitError) break; // fail fast: the dependency is resting
        }
        delay = delay ? delay.next() : backoff.next();
        const wait = delay.duration;
        if (!safe || attempt >= retries || remainingMs() < wait + MIN_ATTEMPT_MS || !budget.tryRetry()) break;
        await sleep(wait);
      }
      if (lastError instanceof AppError) throw lastError;
      throw unavailable(options.name, reached ? lastError : new NotReachedError(`${options.name} was not reached`, { cause: lastError }));
    },
  };
  measureCalls(client, options.name, failureReason);
  return client;
}

/** Why a call ended in a 503 (for `dependency_request_failures_total`). */
function failureReason(error: unknown): 'unreachable' | 'failed' | 'circuit_open' {
  if (!neverReached(error)) return 'failed';
  return (error as AppError).cause instanceof NotReachedError && ((error as AppError).cause as Error).cause instanceof BrokenCircuitError
    ? 'circuit_open'
    : 'unreachable';
}
