import { Id, Page, PageQuery, Quantity, ReservationItem, Timestamp } from '@shop/contracts';
import { Type } from 'typebox';

const strict = { additionalProperties: false } as const;
const Units = Type.Integer({ minimum: 0, maximum: 1_000_000_000 });
const PublicStatus = Type.Union([Type.Literal('PENDING'), Type.Literal('COMMITTED'), Type.Literal('CANCELLED'), Type.Literal('EXPIRED')]);

export const ProductParams = Type.Object({ productId: Id }, strict);
export const ReservationParams = Type.Object({ reservationId: Id }, strict);

export const StockLevel = Type.Object({
  id: Id,
  productId: Id,
  onHand: Type.Integer(),
  reserved: Type.Integer(),
  available: Type.Integer(),
  discontinued: Type.Optional(Type.Boolean({ description: 'The product was deleted; the record goes once its reservations end' })),
});

/** Up to 100 product ids, comma-separated. */
export const ProductIdsQuery = Type.Object(
  {
    productIds: Type.String({
      pattern: '^[0-9a-f]{24}(,[0-9a-f]{24}){0,99}$',
      description: 'Up to 100 product ids (ObjectId hex), comma-separated',
      examples: ['65f0c0ffee0000000000abcd,65f0c0ffee0000000000abce'],
    }),
  },
  strict,
);

export const StockLevels = Type.Object({ items: Type.Array(StockLevel, { description: 'One per product that has a stock record, in no particular order' }) });

export const CreateStockBody = Type.Object({ productId: Id, quantity: Units }, strict);

export const ChangeStockBody = Type.Object(
  {
    onHand: Type.Optional({ ...Units, description: 'Set the units on hand' }),
    delta: Type.Optional(Type.Integer({ minimum: -1_000_000_000, maximum: 1_000_000_000, description: 'Add (or, negative, remove) units on hand' })),
  },
  { ...strict, minProperties: 1, maxProperties: 1, description: 'Exactly one of onHand or delta' },
);

export const ReserveBody = Type.Object(
  { orderId: Id, items: Type.Array(Type.Object({ productId: Id, quantity: Quantity }, strict), { minItems: 1, maxItems: 100 }) },
  strict,
);

export const ReserveResult = Type.Object({ reservationId: Id, expiresAt: Timestamp, status: PublicStatus });

export const ReservationView = Type.Object({
  reservationId: Id,
  orderId: Id,
  status: PublicStatus,
  items: Type.Array(ReservationItem),
  expiresAt: Timestamp,
  reason: Type.Optional(Type.String()),
});

export const ReservationListQuery = Type.Object({ ...PageQuery, cursor: Type.Optional(Id), status: Type.Optional(PublicStatus) }, strict);
export const ReservationPage = Page(Type.Object({ ...ReservationView.properties, createdAt: Timestamp }));
