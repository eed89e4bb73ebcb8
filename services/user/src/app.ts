import { topics } from '@shop/contracts';
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
  registerUserRoutes(platform.http, rules, { loginRateLimit: config.LOGIN_RATE_LIMIT });
  if (await rules.ensureAdmin(config.ADMIN_EMAIL, config.ADMIN_PASSWORD)) platform.logger.info({ email: config.ADMIN_EMAIL }, 'admin account created');
  return platform;
}
