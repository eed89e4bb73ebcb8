import type { Platform } from '@shop/platform/service';
import { testEnv } from '@shop/testing/env';
import { type Hooks, newId, testToken } from '@shop/testing/support';
import { buildProductService } from '../src/app.ts';
import { loadProductConfig } from '../src/config.ts';

export { newId, waitUntil as eventually } from '@shop/testing/support';

/** A port nothing listens on: inventory-service "down". */
export const DEAD_URL = 'http://127.0.0.1:9';

export interface ProductUnderTest {
  service: Platform;
  headers: { admin: Record<string, string>; customer: Record<string, string> };
}

/** A product-service in this process with its own database; closed after the test. */
export async function startProductService(t: Hooks, env: Record<string, string> = {}): Promise<ProductUnderTest> {
  const service = await buildProductService(loadProductConfig(testEnv({ INVENTORY_SERVICE_URL: DEAD_URL, ...env })));
  t.after(() => service.close());
  const bearer = (role: 'admin' | 'customer') => ({ authorization: `Bearer ${testToken(service.name, { sub: newId(), role })}` });
  return { service, headers: { admin: bearer('admin'), customer: bearer('customer') } };
}

/** Creates a product as admin; returns the answer's body. */
export async function createProduct(product: ProductUnderTest, payload: Record<string, unknown>) {
  const response = await product.service.http.inject({ method: 'POST', url: '/product', headers: product.headers.admin, payload });
  if (response.statusCode !== 201) throw new Error(`product not created: ${response.body}`);
  return response.json();
}
