import { setTimeout as sleep } from 'node:timers/promises';
import { ADMIN, type System } from './system.ts';

// biome-ignore lint/suspicious/noExplicitAny: end-to-end tests read whatever JSON the services answer
export interface Answer<T = any> {
  status: number;
  body: T;
}

/** A plain HTTP client for end-to-end tests: JSON in, `{status, body}` out. */
// biome-ignore lint/suspicious/noExplicitAny: as above
export async function call<T = any>(
  url: string,
  init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  const response = await fetch(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...init.headers,
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** Polls `probe` until `accept` holds; returns the last value, or throws with it after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what} not reached in ${timeoutMs} ms; last: ${JSON.stringify(value)}`);
    await sleep(200);
  }
}

export async function adminToken(system: System): Promise<string> {
  const login = await call(`${system.url.user}/login`, { body: ADMIN });
  if (login.status !== 200) throw new Error(`admin login failed: ${JSON.stringify(login)}`);
  return login.body.token;
}

/** Registers a customer and logs in. */
export async function customer(system: System, label: string): Promise<{ id: string; email: string; token: string }> {
  const email = `${label}-${Math.random().toString(36).slice(2, 10)}@example.com`;
  const password = 'password-123';
  const registered = await call(`${system.url.user}/register`, { body: { name: label, email, password } });
  if (registered.status !== 201) throw new Error(`register failed: ${JSON.stringify(registered)}`);
  const login = await call(`${system.url.user}/login`, { body: { email, password } });
  return { id: registered.body.id, email, token: login.body.token };
}
