import { type Static, type TObject, type TProperties, Type } from 'typebox';
import { Value } from 'typebox/value';
import { kafkaConfigProperties } from './kafka/settings.ts';

/** Settings every service shares; the spec's env names (MONGO_URI, KAFKA_BROKER, JWT_SECRET, PORT) keep working. */
export const baseConfigProperties = {
  PORT: Type.Integer({ minimum: 0, maximum: 65535, description: 'HTTP port (0: any free port)' }),
  HOST: Type.String({ default: '127.0.0.1', description: 'HTTP bind address (containers set 0.0.0.0)' }),
  LOG_LEVEL: Type.Union(
    [
      Type.Literal('fatal'),
      Type.Literal('error'),
      Type.Literal('warn'),
      Type.Literal('info'),
      Type.Literal('debug'),
      Type.Literal('trace'),
      Type.Literal('silent'),
    ],
    { default: 'info' },
  ),
  MONGO_URI: Type.String({ default: 'mongodb://127.0.0.1:27017', pattern: '^mongodb(\\+srv)?://', description: 'MongoDB connection string' }),
  MONGO_DB: Type.String({ minLength: 1, description: "This service's own database" }),
  KAFKA_BROKER: Type.String({ default: '127.0.0.1:9092', minLength: 1, description: 'Kafka bootstrap servers, comma separated' }),
  ...kafkaConfigProperties,
  TOKEN_SIGNING_KEY: Type.Optional(
    Type.String({
      minLength: 40,
      description: "This service's own Ed25519 private key (base64 PKCS#8): signs its credentials for other services, and user tokens in user-service",
    }),
  ),
  TOKEN_VERIFY_KEYS: Type.String({
    minLength: 40,
    description: 'The services whose tokens are accepted: `service-name=<base64 SPKI Ed25519 public key>`, comma separated',
  }),
  USER_SERVICE_URL: Type.String({
    default: 'http://localhost:8080',
    pattern: '^https?://',
    description: 'user-service base URL (asked whether a user token still holds)',
  }),
  TOKEN_CHECK_INTERVAL_MS: Type.Integer({
    default: 5000,
    minimum: 0,
    description: "How long user-service's answer on a user token (exists, role, version) is reused: the most a revocation takes to apply",
  }),
  TOKEN_REVOCATION: Type.Union([Type.Literal('checked'), Type.Literal('unchecked')], {
    default: 'checked',
    description:
      'checked: a user token holds only while user-service confirms its user, role and version. unchecked: trusted until it expires — only for one service tested without user-service; refused when NODE_ENV=production',
  }),
  TRUSTED_PROXIES: Type.Optional(
    Type.String({ minLength: 1, description: 'Addresses or CIDRs of the gateway whose X-Forwarded-For is believed (none: the socket address is the client)' }),
  ),
  TOKEN_TTL_SECONDS: Type.Integer({ default: 3600, minimum: 60, description: 'Lifetime of login tokens' }),
  BODY_LIMIT_BYTES: Type.Integer({ default: 65536, minimum: 1024, description: 'Largest accepted request body' }),
  HTTP_TIMEOUT_MS: Type.Integer({
    default: 3000,
    minimum: 100,
    description: 'Timeout of one call to another service (less when the request has less time left)',
  }),
  REQUEST_TIMEOUT_MS: Type.Integer({
    default: 10_000,
    minimum: 100,
    description: "The most time a request may take, and so the most its calls to other services get (less if the caller's x-request-timeout-ms says less)",
  }),
  MAX_IN_FLIGHT: Type.Integer({ default: 256, minimum: 1, description: 'Requests handled at once; past it a fast 503 with Retry-After' }),
  KAFKA_GROUP_ID: Type.Optional(Type.String({ minLength: 1, description: 'Kafka consumer group (default: the service name; one per deployment)' })),
  OUTBOX_POLL_MS: Type.Integer({
    default: 30_000,
    minimum: 10,
    description: 'How often the outbox relay scans whole collections for unsent events (a safety net: a write relays its own events at once)',
  }),
} satisfies TProperties;

export class ConfigError extends Error {}

/**
 * Secrets that were once published in this repository (old examples and defaults): anyone can
 * read them, so a service refuses to start with one. Generate your own: scripts/secrets.ts.
 */
const publishedSecrets = new Set(['dev-only-secret-change-me-0123456789', 'admin-password', 'replace-me', 'change-me', 'changeme', 'password']);

/**
 * Reads the variables named in `schema` from `env`, converts and defaults them, and fails
 * with every bad variable named, so a misconfigured service stops before it does anything.
 */
export function loadConfig<S extends TObject>(schema: S, env: Record<string, string | undefined> = process.env): Readonly<Static<S>> {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(schema.properties)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const value = Value.Default(schema, Value.Convert(schema, raw)) as Record<string, unknown>;
  const problems = [...Value.Errors(schema, value)].map((error) => {
    const missing = (error.params as { requiredProperties?: string[] }).requiredProperties;
    if (missing) return `${missing.filter((name) => !(name in value)).join(', ')}: is required`;
    return `${error.instancePath.slice(1)}: ${error.message}`;
  });
  if (value.TOKEN_REVOCATION === 'unchecked' && env.NODE_ENV === 'production') problems.push('TOKEN_REVOCATION: unchecked is for tests, never in production');
  for (const [key, setting] of Object.entries(value)) {
    if (typeof setting === 'string' && publishedSecrets.has(setting))
      problems.push(`${key}: is a published example value; generate your own (node scripts/secrets.ts)`);
  }
  if (problems.length > 0) throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  return Object.freeze(value) as Readonly<Static<S>>;
}

/** `KAFKA_BROKER` may be a comma list. */
export function brokerList(value: string): string[] {
  return value
    .split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);
}

/** A service schema: the shared settings with this service's defaults, plus its own settings. */
export function serviceConfigSchema<P extends TProperties>(defaults: { PORT: number; MONGO_DB: string }, own: P) {
  return Type.Object({
    ...baseConfigProperties,
    PORT: Type.Integer({ ...baseConfigProperties.PORT, default: defaults.PORT }),
    MONGO_DB: Type.String({ ...baseConfigProperties.MONGO_DB, default: defaults.MONGO_DB }),
    ...own,
  });
}
