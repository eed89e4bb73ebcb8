import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { demoCatalog, demoCustomer } from '../../scripts/demo/catalog.ts';
import { createDemoLoader } from '../../scripts/demo/loader.ts';
import { adminToken, createProduct, deadLetterOfOwnTopic, eventually, mailsTo, stockOf } from './api.ts';
import { describeViolations, launchBrowser, newPage, screenshot, seriousViolations } from './browser.ts';
import { ADMIN, type Shop, startShop } from './shop.ts';

// The shop in a real browser: the seven services, the gateway serving web/dist, real Kafka,
// MongoDB-wire and SMTP catcher, and Debian's Chromium driven by playwright-core.

let shop: Shop;
let browser: Browser;
let admin: string;
const tag = Math.random().toString(36).slice(2, 7);
const products: Record<string, string> = {};
const PASSWORD = 'correct-horse-battery';

before(async () => {
  shop = await startShop();
  browser = await launchBrowser();
  admin = await adminToken(shop);
  // The demo catalog first, so the screenshots show the shop as ./scripts/run.sh --demo does.
  await createDemoLoader(shop.url).load({ admin: ADMIN, products: demoCatalog, customer: demoCustomer });
  const catalog = [
    { key: 'lamp', name: `Desk lamp ${tag}`, category: 'lighting', price: 19.99, stock: 5, description: 'A warm light for late work.' },
    { key: 'cup', name: `Espresso cup ${tag}`, category: 'kitchen', price: 7.5, stock: 4 },
    { key: 'atlas', name: `Atlas ${tag}`, category: 'books', price: 30, stock: 3 },
    { key: 'floor', name: `Floor lamp ${tag}`, category: 'lighting', price: 89, stock: 0 },
  ];
  for (const { key, ...product } of catalog) products[key] = await createProduct(shop, admin, product);
});

after(async () => {
  await browser?.close();
  await shop?.stop();
});

/** Registers a new customer through the page; returns their email. */
async function register(page: Page, name: string): Promise<string> {
  const email = `${name.toLowerCase()}-${tag}-${Math.random().toString(36).slice(2, 7)}@example.com`;
  await page.goto('/register');
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('button', { name: 'Log out' }).waitFor();
  return email;
}

async function logIn(page: Page, email: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('button', { name: 'Log out' }).waitFor();
}

/** Adds a product from its page; waits for the cart to say so. */
async function addToCart(page: Page, productId: string, quantity = 1) {
  await page.goto(`/product/${productId}`);
  await page.getByText(/in stock/).waitFor();
  await page.getByLabel('Quantity').fill(String(quantity));
  await page.getByRole('button', { name: /^Add to cart/ }).click();
  await page.getByText(/^Added .* to your cart\.$/).waitFor();
}

/** Checks out the cart with the given payment; returns the order id from the order page's URL. */
async function checkout(page: Page, payment: 'Card' | 'Test card: always declined'): Promise<string> {
  await page.getByRole('link', { name: /^Cart/ }).click();
  await page.getByRole('link', { name: 'Go to checkout' }).click();
  await page.getByLabel('Street and number').fill('1 Main St');
  await page.getByLabel('City').fill('Springfield');
  await page.getByLabel('Postal code').fill('12345');
  await page.getByLabel('Country').selectOption('US');
  await page.getByLabel(payment, { exact: true }).check();
  await page.getByRole('button', { name: 'Place order' }).click();
  await page.waitForURL(/\/orders\/[0-9a-f]{24}$/);
  return page.url().split('/').at(-1) as string;
}

/** Waits (without reloading) until the order page shows `status`. */
const statusShown = (page: Page, status: string) => page.locator('.order-status .badge', { hasText: status }).waitFor({ timeout: 60_000 });

let confirmedOrder: { id: string; email: string } | undefined;

test('a customer registers, fills and edits the cart, pays by card and sees the order turn confirmed live; stock is down and the mail is listed', async () => {
  const page = await newPage(browser, shop.url);
  const email = await register(page, 'Ada');

  await page.goto('/');
  await page.getByRole('link', { name: demoCatalog[0]?.name as string }).waitFor();
  await page
    .getByText(/in stock/)
    .first()
    .waitFor();
  await screenshot(page, 'catalog');
  await page.getByLabel('Search products').fill(tag);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByText(`4 products matching “${tag}”`).waitFor();
  await page.getByText('5 in stock', { exact: true }).waitFor();
  const soldOut = page.getByRole('button', { name: new RegExp(`^Sold out\\W+Floor lamp ${tag}$`) });
  assert.equal(await soldOut.isDisabled(), true, 'a sold-out product cannot be added');
  await page.getByLabel('Category').selectOption('kitchen');
  await page.getByText(`1 product in kitchen matching “${tag}”`).waitFor();
  await page.getByRole('link', { name: `Espresso cup ${tag}` }).waitFor();
  assert.equal(await page.getByRole('link', { name: `Desk lamp ${tag}` }).count(), 0, 'the category filter leaves other categories out');

  await addToCart(page, products.lamp as string, 1);
  await screenshot(page, 'product');
  await addToCart(page, products.cup as string, 1);
  await page.getByRole('link', { name: /^Cart/ }).click();
  await page.getByLabel(`Quantity of Desk lamp ${tag}`).fill('2');
  await page.getByLabel(`Quantity of Desk lamp ${tag}`).press('Enter');
  await page.getByRole('button', { name: `Remove Espresso cup ${tag}` }).click();
  await page.getByRole('button', { name: `Remove Espresso cup ${tag}` }).waitFor({ state: 'detached' });
  await page.getByText('$39.98').waitFor();
  await screenshot(page, 'cart');

  const orderId = await checkout(page, 'Card');
  await statusShown(page, 'confirmed');
  await page.getByText('Live updates on').waitFor();
  await screenshot(page, 'order-confirmed');
  confirmedOrder = { id: orderId, email };

  await page.goto(`/product/${products.lamp}`);
  await page.getByText('3 in stock', { exact: true }).waitFor();
  const { onHand, reserved, available } = (await stockOf(shop, products.lamp as string)) ?? {};
  assert.deepEqual({ onHand, reserved, available }, { onHand: 3, reserved: 0, available: 3 });

  await page.goto('/orders');
  await page.getByRole('link', { name: `Order ${orderId.slice(-6)}` }).waitFor();
  await page.goto('/notifications');
  await eventually(
    async () => {
      await page.getByRole('button', { name: 'Refresh' }).click();
      return page.getByText(/confirmed/i).count();
    },
    (count) => count > 0,
    30_000,
    'the confirmation in the notifications',
  );
  await screenshot(page, 'notifications');
  const mails = await eventually(
    () => mailsTo(email),
    (list) => list.some((mail) => /confirmed/i.test(mail.subject)),
    30_000,
    'the confirmation mail',
  );
  assert.ok(mails.length > 0);
  await page.context().close();
});

test('a declined test card ends the order failed, live, and the stock comes back', async () => {
  const page = await newPage(browser, shop.url);
  await register(page, 'Bob');
  await addToCart(page, products.atlas as string, 2);
  await checkout(page, 'Test card: always declined');
  await statusShown(page, 'failed');
  await screenshot(page, 'order-failed');
  await eventually(
    () => stockOf(shop, products.atlas as string),
    (s) => s?.available === 3 && s.reserved === 0,
    30_000,
    'the stock released',
  );
  await page.goto(`/product/${products.atlas}`);
  await page.getByText('3 in stock', { exact: true }).waitFor();
  await page.context().close();
});

test('an admin creates a product in the console and it appears in the store with its stock', async () => {
  const page = await newPage(browser, shop.url);
  await logIn(page, ADMIN.email, ADMIN.password);
  await page.waitForURL(/\/admin$/);
  const name = `Reading lamp ${tag}`;
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Category', { exact: true }).fill('lighting');
  await page.getByLabel('Price (USD)').fill('24.50');
  await page.getByLabel('Stock on hand', { exact: true }).fill('7');
  await page.getByRole('button', { name: 'Create product' }).click();
  await page.getByText(`Created ${name}.`).waitFor();
  await page.getByRole('link', { name }).waitFor();
  await screenshot(page, 'admin-products');

  const visitor = await newPage(browser, shop.url);
  await eventually(
    async () => {
      await visitor.goto(`/?q=${encodeURIComponent(name)}`);
      await visitor.getByRole('link', { name }).waitFor();
      return visitor.getByText('7 in stock', { exact: true }).count();
    },
    (count) => count === 1,
    30_000,
    'the new product in the store with 7 in stock',
  );
  await visitor.context().close();

  for (const [path, heading] of [
    ['/admin/orders', 'Orders'],
    ['/admin/stock', 'Stock and reservations'],
    ['/admin/payments', 'Payments and refunds'],
    ['/admin/users', 'Users'],
  ] as const) {
    await page.goto(path);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  }
  await page.goto('/admin/orders');
  await page.getByLabel('Status').selectOption('confirmed');
  await page.locator('tbody .badge', { hasText: 'confirmed' }).first().waitFor();
  await screenshot(page, 'admin-orders');
  await page.context().close();
});

test('an admin inspects a dead letter and replays it once; the system page shows every service ready', async () => {
  const topic = `browser-test-${tag}`;
  await deadLetterOfOwnTopic(topic);
  const page = await newPage(browser, shop.url);
  await logIn(page, ADMIN.email, ADMIN.password);
  await page.getByRole('link', { name: 'Dead letters' }).click();
  await page.getByLabel('Queue').selectOption(`${topic}.dlq`);
  await page.getByRole('button', { name: new RegExp(`^${topic}\\.dlq/\\d+/\\d+$`) }).click();
  await page.getByText('rejected by handler: NOT_FOUND: no such cart').first().waitFor();
  await page.getByRole('button', { name: `Replay to ${topic}` }).click();
  await page.getByText(new RegExp(`^Replayed ${topic}\\.dlq/\\d+/\\d+ to its original topic\\.$`)).waitFor();
  await page.getByRole('cell', { name: /^replayed/ }).waitFor();
  await screenshot(page, 'admin-dead-letters');

  await page.getByRole('link', { name: 'System' }).click();
  await page.getByRole('heading', { level: 1, name: 'System' }).waitFor();
  await eventually(
    async () => {
      await page.reload();
      await page.getByRole('rowheader', { name: 'notification' }).waitFor();
      return page.getByText('not ready').count();
    },
    (notReady) => notReady === 0,
    30_000,
    'every service ready on the system page',
  );
  assert.equal(await page.locator('tbody .badge', { hasText: 'ready' }).count(), 7);
  await screenshot(page, 'admin-system');
  await page.context().close();
});

test('a customer cannot open another customer’s order page', async () => {
  assert.ok(confirmedOrder, 'needs the order of the first test');
  const page = await newPage(browser, shop.url);
  await register(page, 'Eve');
  await page.goto(`/orders/${confirmedOrder.id}`);
  await page.getByRole('heading', { level: 1, name: 'Order not found' }).waitFor();
  assert.equal(await page.getByText('Delivery address').count(), 0, 'nothing of the order is shown');
  await page.context().close();
});

for (const viewport of [
  { width: 1280, height: 900, label: 'a desktop' },
  { width: 390, height: 844, label: 'a phone-sized screen' },
]) {
  test(`axe-core finds no serious or critical accessibility violation on the main pages, on ${viewport.label}`, async () => {
    const found: string[] = [];
    const check = async (page: Page, path: string, ready: string) => {
      await page.goto(path);
      await page.getByText(ready).first().waitFor();
      const violations = await seriousViolations(page);
      if (violations.length > 0) found.push(describeViolations(`${path} (${page.viewportSize()?.width}px)`, violations));
    };
    const visitor = await newPage(browser, shop.url, { width: viewport.width, height: viewport.height });
    await check(visitor, '/', 'in stock');
    if (viewport.width < 500) await screenshot(visitor, 'phone-catalog');
    await check(visitor, `/product/${products.lamp}`, 'in stock');
    await check(visitor, '/login', 'New here?');
    await check(visitor, '/register', 'At least 8 characters');
    await visitor.context().close();

    const customer = await newPage(browser, shop.url, { width: viewport.width, height: viewport.height });
    await register(customer, 'Ally');
    await addToCart(customer, products.cup as string, 1);
    await check(customer, '/cart', 'Go to checkout');
    await check(customer, '/checkout', 'Payment method');
    await check(customer, '/orders', 'No orders yet');
    await check(customer, '/notifications', 'Notifications');
    await customer.context().close();

    if (confirmedOrder) {
      const owner = await newPage(browser, shop.url, { width: viewport.width, height: viewport.height });
      await logIn(owner, confirmedOrder.email, PASSWORD);
      await check(owner, `/orders/${confirmedOrder.id}`, 'Delivery address');
      await owner.context().close();
    }

    const staff = await newPage(browser, shop.url, { width: viewport.width, height: viewport.height });
    await logIn(staff, ADMIN.email, ADMIN.password);
    await check(staff, '/admin', 'New product');
    await check(staff, '/admin/orders', 'Orders');
    await check(staff, '/admin/stock', 'Reservations');
    await check(staff, '/admin/payments', 'Refunds only');
    await check(staff, '/admin/users', 'Users');
    await check(staff, '/admin/dead-letters', 'Queue');
    await check(staff, '/admin/system', 'Services');
    await staff.context().close();
    assert.deepEqual(found, [], found.join('\n'));
  });
}
