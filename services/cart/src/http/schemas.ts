import { CartMark, Id, Quantity, Timestamp } from '@shop/contracts';
import { Type } from 'typebox';

const strict = { additionalProperties: false } as const;

export const CartItem = Type.Object({ productId: Id, quantity: Quantity });
export const Cart = Type.Object({ id: Id, userId: Id, items: Type.Array(CartItem), mark: CartMark, updatedAt: Timestamp });

export const AddBody = Type.Object({ userId: Id, productId: Id, quantity: Quantity }, strict);
export const SetQuantityBody = Type.Object({ quantity: Quantity }, strict);
export const CartParams = Type.Object({ userId: Id }, strict);
export const ItemParams = Type.Object({ userId: Id, productId: Id }, strict);
