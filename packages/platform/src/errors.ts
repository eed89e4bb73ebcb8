/** Every failure the services raise on purpose, with its HTTP status and whether trying again can help. */
export const errorCodes = {
  BAD_REQUEST: { status: 400, retryable: false, title: 'Bad request' },
  VALIDATION_FAILED: { status: 400, retryable: false, title: 'Validation failed' },
  UNAUTHORIZED: { status: 401, retryable: false, title: 'Unauthorized' },
  FORBIDDEN: { status: 403, retryable: false, title: 'Forbidden' },
  NOT_FOUND: { status: 404, retryable: false, title: 'Not found' },
  METHOD_NOT_ALLOWED: { status: 405, retryable: false, title: 'Method not allowed' },
  CONFLICT: { status: 409, retryable: false, title: 'Conflict' },
  INSUFFICIENT_STOCK: { status: 409, retryable: false, title: 'Insufficient stock' },
  PAYLOAD_TOO_LARGE: { status: 413, retryable: false, title: 'Payload too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, retryable: false, title: 'Unsupported media type' },
  TOO_MANY_REQUESTS: { status: 429, retryable: true, title: 'Too many requests' },
  DEPENDENCY_UNAVAILABLE: { status: 503, retryable: true, title: 'Dependency unavailable' },
  /** The same request is still being worked on (e.g. a retried reservation whose first attempt has not finished). */
  IN_PROGRESS: { status: 503, retryable: true, title: 'Still in progress' },
  INTERNAL: { status: 500, retryable: true, title: 'Internal error' },
} as const;

export type ErrorCode = keyof typeof errorCodes;

/** The one error type the services throw; the HTTP layer and the Kafka consumer both read it. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  /** Extra, client-safe facts (e.g. which field, which items are short). */
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.status = errorCodes[code].status;
    this.retryable = errorCodes[code].retryable;
    this.details = details;
  }
}

export const badRequest = (message: string, details?: Record<string, unknown>) => new AppError('VALIDATION_FAILED', message, details);
export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);
export const conflict = (message: string, details?: Record<string, unknown>) => new AppError('CONFLICT', message, details);
export const forbidden = (message = 'You may not access this resource') => new AppError('FORBIDDEN', message);
export const unauthorized = (message = 'Missing or invalid token') => new AppError('UNAUTHORIZED', message);
export const unavailable = (what: string, cause?: unknown) => new AppError('DEPENDENCY_UNAVAILABLE', `${what} is unavailable`, undefined, { cause });

/** True when trying the same operation again may succeed (network blips, a dependency restarting). */
export function isRetryable(error: unknown): boolean {
  if (error instanceof AppError) return error.retryable;
  return true;
}

/** MongoDB driver errors that mean "the database is unreachable right now", not "this request is wrong". */
const transientErrorNames = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoServerClosedError',
  'MongoPoolClearedError',
]);

/**
 * True for an outage of a dependency (the database went away): HTTP answers 503 and consumers
 * retry for as long as it takes, instead of answering 500 or dead-lettering a valid event.
 */
export function isDependencyOutage(error: unknown): boolean {
  if (error instanceof AppError) return error.code === 'DEPENDENCY_UNAVAILABLE';
  return error instanceof Error && transientErrorNames.has(error.name);
}
