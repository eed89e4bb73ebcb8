import { eventTypes, type ProductCreatedData, type ProductDeletedData, topics } from '@shop/contracts';
import { createEvent } from '@shop/platform/kafka/envelope';
import { type OutboxEntry, outboxEntry } from '@shop/platform/mongo/outbox';
import type { ProductDomainEvent } from '../domain/product.ts';

const SOURCE = 'product-service';

/**
 * The one place product-service's domain events become contract events on product-events
 * (key = productId): product.created makes inventory-service create the stock record (stock from
 * the request), product.deleted makes it remove the record (or retire it once its holds drain).
 */
export function outboxEntries(events: ProductDomainEvent[]): OutboxEntry[] {
  return events.map((event) => {
    const { productId } = event;
    if (event.kind === 'productCreated') {
      const data: ProductCreatedData = { productId, stock: event.stock };
      return outboxEntry(topics.productEvents, createEvent({ type: eventTypes.productCreated, source: SOURCE, subject: productId, data }));
    }
    const data: ProductDeletedData = { productId };
    return outboxEntry(topics.productEvents, createEvent({ type: eventTypes.productDeleted, source: SOURCE, subject: productId, data }));
  });
}
