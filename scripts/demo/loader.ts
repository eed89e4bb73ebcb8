import type { DemoProduct } from './catalog.ts';

interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: the JSON the services answer, checked where it is read
  body: any;
}

/** Loads demo data through the gateway's public API (`/api/<service>/...`), as a person in the admin console would. */
export function createDemoLoader(gatewayUrl: string) {
  async function call(method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<Answer> {
    const response = await fetch(`${gatewayUrl}/api${path}`, {
      method,
      headers: {
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }
  const fail = (what: string, answer: Answer) => new Error(`${what}: ${answer.status} ${answer.body?.detail ?? JSON.stringify(answer.body)}`);

  async function login(email: string, password: string): Promise<Answer> {
    return call('POST', '/user/login', { body: { email, password } });
  }

  /** Every product name already in `category` (all pages). */
  async function namesIn(category: string): Promise<Set<string>> {
    const names = new Set<string>();
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ category, limit: '200', ...(cursor ? { cursor } : {}) });
      const page = await call('GET', `/product/product?${query}`);
      if (page.status !== 200) throw fail(`listing ${category}`, page);
      for (const product of page.body.items as { name: string }[]) names.add(product.name);
      cursor = page.body.nextCursor;
    } while (cursor);
    return names;
  }

  return {
    async load(input: { admin: { email: string; password: string }; products: DemoProduct[]; customer: { name: string; email: string; password: string } }) {
      const admin = await login(input.admin.email, input.admin.password);
      if (admin.status !== 200) throw fail(`admin login as ${input.admin.email}`, admin);
      const token = admin.body.token as string;

      let created = 0;
      let existing = 0;
      for (const category of new Set(input.products.map((p) => p.category))) {
        const there = await namesIn(category);
        for (const product of input.products.filter((p) => p.category === category)) {
          if (there.has(product.name)) {
            existing++;
            continue;
          }
          const answer = await call('POST', '/product/product', { token, body: product });
          if (answer.status !== 201) throw fail(`creating ${product.name}`, answer);
          created++;
        }
      }

      const registered = await call('POST', '/user/register', { body: input.customer });
      if (registered.status !== 201 && registered.status !== 409) throw fail(`registering ${input.customer.email}`, registered);
      const customer = await login(input.customer.email, input.customer.password);
      if (customer.status !== 200) throw fail(`${input.customer.email} exists but its password is not the demo one (changed?)`, customer);
      return { created, existing, customerCreated: registered.status === 201 };
    },
  };
}
