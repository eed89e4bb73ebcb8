import { eventTypes, type ProductCreatedData, type ProductDeletedData, topics } from '@shop/contracts';
import { createEvent } from '@shop/platform/kafka/envelope';
import { type OutboxEntry, outboxEntry } from '@shop/platform/mongo/outbox';

const SOURCE = 'product-service';

/** product.created: inventory-service creates the stock record from it (stock from the request). */
export function productCreatedEntry(productId: string, stock: number): OutboxEntry {
  const data: ProductCreatedData = { productId, stock };
  return outboxEntry(topics.productEvents, createEvent({ type: eventTypes.productCreated, source: SOURCE, subject: productId, data }));
}

/** product.deleted: inventory-service removes the stock record (or retires it once its holds drain). */
export function productDeletedEntry(productId: string): OutboxEntry {
  const data: ProductDeletedData = { productId };
  return outboxEntry(topics.productEvents, createEvent({ type: eventTypes.productDeleted, source: SOURCE, subject: productId, data }));
}
