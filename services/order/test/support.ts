import { randomUUID } from 'node:crypto';
import { topics } from '@shop/contracts';
import type { Platform } from '@shop/platform/service';
import { freshGroupAtEnd } from '@shop/testing/consumer-group';
import { testEnv } from '@shop/testing/env';
import { freePorts } from '@shop/testing/processes';
import { eventually, type Hooks, newId, testToken } from '@shop/testing/support';
import { buildCartService } from '../../cart/src/app.ts';
import { loadCartConfig } from '../../cart/src/config.ts';
import { buildInventoryService } from '../../inventory/src/app.ts';
import { loadInventoryConfig } from '../../inventory/src/config.ts';
import { buildPaymentService } from '../../payment/src/app.ts';
import { loadPaymentConfig } from '../../payment/src/config.ts';
import { buildProductService } from '../../product/src/app.ts';
import { loadProductConfig } from '../../product/src/config.ts';
import { buildUserService } from '../../user/src/app.ts';
import { loadUserConfig } from '../../user/src/config.ts';
import { buildOrderService } from '../src/app.ts';
import { loadOrderConfig } from '../src/config.ts';

export { eventually, fileScope, newId } from '@shop/testing/support';

const ADDRESS = { line1: '1 Market St', city: 'Springfield', postalCode: '12345', country: 'US' };

/**
 * The real user, product, inventory, cart, payment and order services in this process, each with
 * its own database and consumer group, on fixed free ports so they can find each other, sharing
 * JWT_SECRET and a payment topic of their own.
 */
export async function startShop(t: Hooks, orderEnv: Record<string, string> = {}) {
  const tag = randomUUID().slice(0, 8);
  const [user, product, inventory, cart, payment, order] = await freePorts(6);
  const url = (port: number | undefined) => `http://127.0.0.1:${port}`;
  const urls = {
    USER_SERVICE_URL: url(user),
    PRODUCT_SERVICE_URL: url(product),
    INVENTORY_SERVICE_URL: url(inventory),
    CART_SERVICE_URL: url(cart),
    PAYMENT_SERVICE_URL: url(payment),
    ORDER_SERVICE_URL: url(order),
  };
  const paymentTopic = `payment-events-test-${tag}`;
  const env = (port: number | undefined, extra: Record<string, string> = {}) => testEnv({ PORT: String(port), PAYMENT_TOPIC: paymentTopic, ...extra });
  // Every consumer starts at the topics' ends: the shared test Kafka's history is not theirs to replay.
  const shared = [topics.userCreated, topics.userDeleted, topics.productEvents, topics.orderEvents, topics.inventoryEvents, paymentTopic];
  const [inventoryGroup, cartGroup, paymentGroup, orderGroup] = await Promise.all(
    ['inventory', 'cart', 'payment', 'order'].map((name) => freshGroupAtEnd(`${name}-test`, shared)),
  );
  const services = await Promise.all([
    buildUserService(loadUserConfig(env(user, { ADMIN_PASSWORD: 'admin-password-1', SCRYPT_COST: '1024' }))),
    buildProductService(loadProductConfig(env(product, urls))),
    buildInventoryService(loadInventoryConfig(env(inventory, { ...urls, KAFKA_GROUP_ID: inventoryGroup, SWEEP_INTERVAL_MS: '200' }))),
    buildCartService(loadCartConfig(env(cart, urls)), { consumerGroup: cartGroup }),
    buildPaymentService(loadPaymentConfig(env(payment, { ...urls, KAFKA_GROUP_ID: paymentGroup, SWEEP_INTERVAL_MS: '200' }))),
    buildOrderService(loadOrderConfig(env(order, { ...urls, KAFKA_GROUP_ID: orderGroup, SWEEP_INTERVAL_MS: '200', ...orderEnv }))),
  ]);
  for (const service of services) t.after(() => service.close());
  await Promise.all(services.map((service) => service.listen()));
  const [users, products, stock, carts, payments, orders] = services as [Platform, Platform, Platform, Platform, Platform, Platform];
  const admin = { authorization: `Bearer ${testToken('user-service', { sub: newId(), role: 'admin' })}` };
  /** A credential of order-service addressed to `audience`, the service it calls. */
  const asOrderService = (audience: string) => ({ authorization: `Bearer ${testToken(audience, { sub: 'order-service', role: 'service' })}` });

  /** Registers a customer and waits for the cart that user-created makes. */
  async function customer() {
    const email = `order-${newId()}@example.com`;
    const registered = await users.http.inject({ method: 'POST', url: '/register', payload: { name: 'Buyer', email, password: 'password-123' } });
    const login = await users.http.inject({ method: 'POST', url: '/login', payload: { email, password: 'password-123' } });
    const id = registered.json().id as string;
    const headers = { authorization: `Bearer ${login.json().token}` };
    await eventually('the cart of a new user', async () =>
      (await carts.http.inject({ method: 'GET', url: `/cart/${id}`, headers })).statusCode === 200 ? true : undefined,
    );
    return { id, headers };
  }

  /** A product with a price and stock, once inventory-service holds its stock record. */
  async function productWith(price: number, stockCount: number): Promise<string> {
    const created = await products.http.inject({
      method: 'POST',
      url: '/product',
      headers: admin,
      payload: { name: 'Widget', category: 'tools', price, stock: stockCount },
    });
    if (created.statusCode !== 201) throw new Error(`product: ${created.body}`);
    const id = created.json().id as string;
    await eventually('the stock record', async () => ((await stockOf(id)) ? true : undefined));
    return id;
  }

  async function stockOf(productId: string): Promise<{ onHand: number; reserved: number; available: number } | undefined> {
    const response = await stock.http.inject({ method: 'GET', url: `/inventory/${productId}` });
    return response.statusCode === 200 ? response.json() : undefined;
  }

  /** Sets a product's units on hand, as an admin would. */
  async function setStock(productId: string, onHand: number) {
    const record = (await stock.http.inject({ method: 'GET', url: `/inventory/${productId}` })).json();
    const response = await stock.http.inject({ method: 'PATCH', url: `/inventory/${record.id}`, headers: admin, payload: { onHand } });
    if (response.statusCode !== 200) throw new Error(`stock: ${response.body}`);
  }

  async function addToCart(buyer: { id: string; headers: Record<string, string> }, productId: string, quantity: number) {
    const response = await carts.http.inject({ method: 'POST', url: '/cart', headers: buyer.headers, payload: { userId: buyer.id, productId, quantity } });
    if (response.statusCode !== 200) throw new Error(`cart: ${response.body}`);
  }

  const place = (buyer: { id: string; headers: Record<string, string> }, options: { paymentInfo?: string; key?: string } = {}) =>
    orders.http.inject({
      method: 'POST',
      url: '/order',
      headers: { ...buyer.headers, ...(options.key ? { 'idempotency-key': options.key } : {}) },
      payload: { userId: buyer.id, address: ADDRESS, paymentInfo: options.paymentInfo ?? 'card' },
    });

  const getOrder = async (id: string) => (await orders.http.inject({ method: 'GET', url: `/order/${id}`, headers: asOrderService('order-service') })).json();
  const statusBecomes = (id: string, status: string) =>
    eventually(`order ${id} to be ${status}`, async () => {
      const order = await getOrder(id);
      return order.status === status ? order : undefined;
    });
  const paymentsOf = async (orderId: string) =>
    (await payments.http.inject({ method: 'GET', url: `/payments?orderId=${orderId}`, headers: asOrderService('payment-service') })).json().items;

  return {
    paymentTopic,
    /** order-service's consumer group, to wait until it handled what was published. */
    orderGroup,
    urls,
    users,
    products,
    stock,
    carts,
    payments,
    orders,
    admin,
    asOrderService,
    customer,
    productWith,
    stockOf,
    setStock,
    addToCart,
    place,
    getOrder,
    statusBecomes,
    paymentsOf,
  };
}

export type Shop = Awaited<ReturnType<typeof startShop>>;
