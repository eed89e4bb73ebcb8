import { unavailable } from '@shop/platform/errors';
import { MongoNetworkError, MongoNotConnectedError, MongoServerSelectionError } from 'mongodb';

/**
 * The platform consumer gives up on unknown errors after a few attempts and dead-letters the
 * event; a MongoDB outage is not the event's fault, so it becomes a retryable "unavailable"
 * and the event waits until the database is back.
 */
export async function retryWhileStorageIsDown<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const down = error instanceof MongoNetworkError || error instanceof MongoServerSelectionError || error instanceof MongoNotConnectedError;
    throw down ? unavailable('MongoDB', error) : error;
  }
}
