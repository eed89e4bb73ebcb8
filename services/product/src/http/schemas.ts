import { Currency, Id, Money, Page, PageQuery, Timestamp } from '@shop/contracts';
import { Type } from 'typebox';

const strict = { additionalProperties: false } as const;
const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });
const Description = Type.String({ maxLength: 5000 });
const Category = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
/** No default here: a PATCH must not reset the currency. */
const CurrencyCode = Type.String({ pattern: '^[A-Z]{3}$' });
const Stock = Type.Integer({ minimum: 0, maximum: 1_000_000_000, description: 'Initial units on hand (default 0)' });

export const Inventory = Type.Union([
  Type.Object({ onHand: Type.Integer(), reserved: Type.Integer(), available: Type.Integer() }),
  Type.Null({ description: 'inventory-service could not be reached, or has no record yet' }),
]);

export const Product = Type.Object({
  id: Id,
  name: Type.String(),
  description: Type.Optional(Type.String()),
  category: Type.String(),
  price: Type.Number(),
  currency: Type.String(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const ProductWithStock = Type.Object({ ...Product.properties, inventory: Inventory });

export const CreateBody = Type.Object(
  { name: Name, description: Type.Optional(Description), category: Category, price: Money, currency: Type.Optional(Currency), stock: Type.Optional(Stock) },
  strict,
);

export const UpdateBody = Type.Object(
  {
    name: Type.Optional(Name),
    description: Type.Optional(Description),
    category: Type.Optional(Category),
    price: Type.Optional(Money),
    currency: Type.Optional(CurrencyCode),
  },
  { ...strict, minProperties: 1 },
);

export const ListQuery = Type.Object(
  {
    ...PageQuery,
    cursor: Type.Optional(Id),
    category: Type.Optional(Category),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Text searched in name and description' })),
    ids: Type.Optional(
      Type.String({
        pattern: '^[0-9a-f]{24}(,[0-9a-f]{24}){0,199}$',
        description: 'Only these products (comma-separated ids, at most 200): a cart priced in one call',
      }),
    ),
  },
  strict,
);

export const ProductPage = Page(Product);
