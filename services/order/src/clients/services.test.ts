import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientAnswering, contractMismatch } from '@shop/testing/answering';
import { createCarts, createCatalog, createInventory, createPayments } from './services.ts';

const id = (n: number) => n.toString(16).padStart(24, '0');
const charge = { orderId: id(1), userId: id(2), reservationId: id(3), amountMinor: 1999, currency: 'USD', method: 'card' };

test('cart-service answering a cart without items fails the checkout loudly', async (t) => {
  const carts = createCarts(await clientAnswering(t, 'cart-service', 200, { id: id(9), lines: [] }));
  await assert.rejects(carts.get(id(2)), contractMismatch('items'));
});

test('product-service answering a price as a string fails loudly', async (t) => {
  const catalog = createCatalog(await clientAnswering(t, 'product-service', 200, { items: [{ id: id(5), price: '19.99', currency: 'USD' }] }));
  await assert.rejects(catalog.prices([id(5)]), contractMismatch('price'));
});

test('inventory-service answering a reservation without its id fails loudly', async (t) => {
  const inventory = createInventory(await clientAnswering(t, 'inventory-service', 201, { id: id(7), status: 'PENDING' }));
  await assert.rejects(inventory.reserve(id(1), [{ productId: id(5), quantity: 1 }]), contractMismatch('reservationId'));
});

test('payment-service answering a status outside the contract fails loudly', async (t) => {
  const payments = createPayments(await clientAnswering(t, 'payment-service', 201, { id: id(8), status: 'paid' }));
  await assert.rejects(payments.charge(charge), contractMismatch('status'));
  const ok = createPayments(await clientAnswering(t, 'payment-service', 201, { id: id(8), status: 'success', amount: 19.99 }));
  assert.deepEqual(await ok.charge(charge), { id: id(8), status: 'success' });
});
