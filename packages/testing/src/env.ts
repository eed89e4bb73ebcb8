import { randomBytes } from 'node:crypto';

/**
 * Environment for a service under test: the test infrastructure started by scripts/test.sh
 * (KAFKA_BROKER / MONGO_URI), a database of its own so test files can run side by side,
 * port 0, and quiet logs.
 */
export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    MONGO_URI: process.env.MONGO_URI ?? 'mongodb://127.0.0.1:37017',
    MONGO_DB: `test_${randomBytes(6).toString('hex')}`,
    KAFKA_BROKER: process.env.KAFKA_BROKER ?? '127.0.0.1:19092',
    JWT_SECRET: 'test-secret-0123456789abcdef',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    OUTBOX_POLL_MS: '200',
    ...overrides,
  };
}

export const testBrokers = () => (process.env.KAFKA_BROKER ?? '127.0.0.1:19092').split(',');
