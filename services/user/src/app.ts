import { topics } from '@shop/contracts';
import { createAccessCheck } from '@shop/platform/access';
import type { Logger } from '@shop/platform/log';
import { createAtomically } from '@shop/platform/mongo/transaction';
import { createPlatform, type Platform } from '@shop/platform/service';
import type { UserConfig } from './config.ts';
import { createPasswordHasher } from './domain/password.ts';
import { createUserRules } from './domain/users.ts';
import { registerUserRoutes } from './http/routes.ts';
import { createUserStore, usersCollection } from './store/users.ts';

/** The composition root: platform → store → rules → routes, plus the outbox relay and the admin account. */
export async function buildUserService(config: UserConfig, options: { logger?: Logger } = {}): Promise<Platform> {
  const platform = await createPlatform({
    name: 'user-service',
    description: 'Accounts, login and tokens; announces user-created and user-deleted',
    config,
    topics: [topics.userCreated, topics.userDeleted],
    ...options,
  });
  const { db } = platform.mongo;
  const relay = platform.startOutboxRelay([usersCollection(db).collectionName]);
  const rules = createUserRules({
    store: createUserStore(db, createAtomically(platform.mongo.client)),
    hasher: createPasswordHasher(config.SCRYPT_COST),
    issueToken: platform.auth.issue,
    eventsQueued: relay.kick,
  });
  // Here a user token is checked against the store itself, not over HTTP.
  if (config.TOKEN_REVOCATION === 'checked') platform.auth.useAccessCheck(createAccessCheck({ lookup: rules.access, freshMs: config.TOKEN_CHECK_INTERVAL_MS }));
  registerUserRoutes(platform.http, rules, {
    accountRateLimit: config.LOGIN_RATE_LIMIT,
    clientRateLimit: config.CLIENT_RATE_LIMIT,
    throttle: platform.throttle,
  });
  const admin = await rules.ensureAdmin(config.ADMIN_EMAIL, config.ADMIN_PASSWORD);
  if (admin !== 'unchanged') platform.logger.info({ email: config.ADMIN_EMAIL }, `admin account ${admin}`);
  return platform;
}
