import { randomBytes } from 'node:crypto';
import { type Auth, createAuth } from '@shop/platform/auth';
import { formatVerifyKeys, generateKeyPair } from '@shop/platform/keys';

/** Every service name that signs tokens; in tests they all share one key pair, made per test process. */
export const serviceNames = ['user', 'product', 'inventory', 'cart', 'order', 'payment', 'notification', 'gateway'].map((name) => `${name}-service`);
const testKeys = generateKeyPair();

/**
 * Environment for a service under test: the test infrastructure started by scripts/test.sh
 * (KAFKA_BROKER / MONGO_URI), a database of its own so test files can run side by side,
 * one shared token key pair (see serviceNames), port 0, and quiet logs.
 */
export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    MONGO_URI: process.env.MONGO_URI ?? 'mongodb://127.0.0.1:37017',
    MONGO_DB: `test_${randomBytes(6).toString('hex')}`,
    KAFKA_BROKER: process.env.KAFKA_BROKER ?? '127.0.0.1:19092',
    TOKEN_SIGNING_KEY: testKeys.privateKey,
    TOKEN_VERIFY_KEYS: formatVerifyKeys(serviceNames.map((name) => [name, testKeys.publicKey])),
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    OUTBOX_POLL_MS: '200',
    // Most tests run a service without user-service, with tokens of made-up users (see bearer in
    // support.ts); the tests of revocation set TOKEN_REVOCATION=checked.
    TOKEN_REVOCATION: 'unchecked',
    // Tests register and log in many users from one address; the throttling tests set their own limits.
    LOGIN_RATE_LIMIT: '100000',
    CLIENT_RATE_LIMIT: '100000',
    ...overrides,
  };
}

export const testBrokers = () => (process.env.KAFKA_BROKER ?? '127.0.0.1:19092').split(',');

/** The Auth of `serviceName` with the test keys: to sign a credential as that service, or verify one addressed to it. */
export const testAuth = (serviceName: string): Auth =>
  createAuth({
    serviceName,
    ttlSeconds: 600,
    signingKey: testKeys.privateKey,
    verifyKeys: new Map(serviceNames.map((name) => [name, testKeys.publicKey])),
  });
