import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError, isDependencyOutage, isRetryable, unavailable } from './errors.ts';

test('a database outage is a dependency outage; client mistakes and bugs are not', () => {
  const outage = Object.assign(new Error('connect ECONNREFUSED'), { name: 'MongoServerSelectionError' });
  assert.equal(isDependencyOutage(outage), true);
  assert.equal(isDependencyOutage(unavailable('inventory-service')), true);
  assert.equal(isDependencyOutage(new AppError('CONFLICT', 'taken')), false);
  assert.equal(isDependencyOutage(new TypeError('bug')), false);
  assert.equal(isRetryable(new AppError('VALIDATION_FAILED', 'bad')), false);
});
