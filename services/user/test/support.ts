import type { TestContext } from 'node:test';
import type { Platform } from '@shop/platform/service';
import { testEnv } from '@shop/testing/env';
import { buildUserService } from '../src/app.ts';
import { loadUserConfig } from '../src/config.ts';

export const ADMIN = { email: 'admin@shop.test', password: 'admin-password-1' };

/** A user-service on the test infrastructure, with a database of its own; closed after the test. */
export async function startUserService(t: TestContext, env: Record<string, string> = {}): Promise<Platform> {
  const config = loadUserConfig(testEnv({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, SCRYPT_COST: '1024', ...env }));
  const service = await buildUserService(config);
  t.after(() => service.close());
  return service;
}

/** Registers a user and logs in; returns the user and a bearer header. */
export async function registerAndLogin(service: Platform, email: string) {
  const password = 'password-123';
  const registered = await service.http.inject({ method: 'POST', url: '/register', payload: { name: 'Test User', email, password } });
  const login = await service.http.inject({ method: 'POST', url: '/login', payload: { email, password } });
  return { user: registered.json(), headers: { authorization: `Bearer ${login.json().token}` } };
}

export const uniqueEmail = (label: string) => `${label}-${Math.random().toString(36).slice(2, 10)}@example.com`;
