import { createLogger } from '@shop/platform/log';
import { connectMongo, type Mongo } from '@shop/platform/mongo/connect';
import { call, customer, eventually } from '../e2e/client.ts';
import { ADMIN, type System, serviceNames } from '../e2e/system.ts';

/** The valid data the fuzzer's requests point at, so id-based routes reach real resources too. */
export interface Seeded {
  admin: { id: string; token: string };
  customer: { id: string; email: string; token: string };
  productId: string;
  stockId: string;
  cartId: string;
  orderId: string;
  reservationId: string;
  paymentId: string;
  /** The system's seven databases. */
  databases: string[];
  mongo: Mongo;
}

const terminal = new Set(['confirmed', 'failed', 'cancelled']);

function expect(answer: { status: number; body: unknown }, status: number, what: string) {
  if (answer.status !== status) throw new Error(`seeding: ${what} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
}

/** A customer, a product with stock, an order taken to its end, and one item left in the cart. */
export async function seed(system: System, marker: string): Promise<Seeded> {
  const login = await call(`${system.url.user}/login`, { body: ADMIN });
  expect(login, 200, 'admin login');
  const admin = { id: login.body.user.id as string, token: login.body.token as string };
  const ann = await customer(system, marker);

  const product = await call(`${system.url.product}/product`, {
    token: admin.token,
    body: { name: `${marker} lamp`, category: marker, price: 19.99, stock: 50 },
  });
  expect(product, 201, 'POST /product');
  const productId = product.body.id as string;
  const stock = await eventually(
    () => call(`${system.url.inventory}/inventory/${productId}`),
    (a) => a.status === 200,
    30_000,
    'inventory record of the seeded product',
  );

  const addToCart = () => call(`${system.url.cart}/cart`, { token: ann.token, body: { userId: ann.id, productId, quantity: 1 } });
  expect(await addToCart(), 200, 'POST /cart');
  const placed = await call(`${system.url.order}/order`, {
    token: ann.token,
    body: { userId: ann.id, address: { line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' }, paymentInfo: 'card' },
  });
  expect(placed, 201, 'POST /order');
  const order = await eventually(
    () => call(`${system.url.order}/order/${placed.body.id}`, { token: ann.token }),
    (a) => terminal.has(a.body?.status),
    30_000,
    'seeded order reaching its end',
  );
  // A confirmed order empties the cart (an event); only then put one item back.
  await eventually(
    () => call(`${system.url.cart}/cart/${ann.id}`, { token: ann.token }),
    (a) => a.status === 200 && a.body.items.length === 0,
    30_000,
    'cart emptied by the confirmed order',
  );
  const cart = await addToCart();
  expect(cart, 200, 'POST /cart (again)');

  const mongo = await connectMongo({
    uri: process.env.MONGO_URI ?? 'mongodb://127.0.0.1:37017',
    dbName: 'admin',
    logger: createLogger({ service: 'fuzz', level: 'silent' }),
  });
  const databases = await databasesOf(mongo, ann.email);
  return {
    admin,
    customer: ann,
    productId,
    stockId: stock.body.id,
    cartId: cart.body.id,
    orderId: order.body.id,
    reservationId: order.body.reservationId,
    paymentId: order.body.paymentId,
    databases,
    mongo,
  };
}

/** startSystem picks a random database prefix; find it by the user-service database that holds our customer. */
async function databasesOf(mongo: Mongo, email: string): Promise<string[]> {
  const { databases } = await mongo.client.db('admin').admin().listDatabases({ nameOnly: true });
  for (const { name } of databases) {
    if (!name.endsWith('_user')) continue;
    if (await mongo.client.db(name).collection('users').findOne({ email })) {
      const prefix = name.slice(0, -'_user'.length);
      return serviceNames.map((service) => `${prefix}_${service}`);
    }
  }
  throw new Error(`no user database holds ${email}`);
}

/** The seeded id for a parameter or body field, by the route it belongs to. */
export function realIdFor(seeded: Seeded) {
  return (path: string, name: string): string | undefined => {
    switch (name) {
      case 'userId':
        return seeded.customer.id;
      case 'productId':
        return seeded.productId;
      case 'orderId':
        return seeded.orderId;
      case 'reservationId':
        return seeded.reservationId;
      case 'cartId':
        return seeded.cartId;
      case 'id':
        if (path.startsWith('/users/') || path.startsWith('/orders/user/')) return seeded.customer.id;
        if (path.startsWith('/product/')) return seeded.productId;
        if (path.startsWith('/inventory/')) return seeded.stockId;
        if (path.startsWith('/order/')) return seeded.orderId;
        if (path.startsWith('/payment/')) return seeded.paymentId;
        return undefined;
      default:
        return undefined;
    }
  };
}
