// Loads the demo catalog (scripts/demo/catalog.ts) and the demo customer through the public API,
// by way of the gateway (GATEWAY_URL, default http://localhost:8000), logged in as the admin
// (ADMIN_EMAIL / ADMIN_PASSWORD). Idempotent: a product whose name exists in its category is left
// as it is, and the customer is registered once. Run it with scripts/demo-data.sh.
import { demoCatalog, demoCustomer } from './demo/catalog.ts';
import { createDemoLoader } from './demo/loader.ts';

const gateway = (process.env.GATEWAY_URL ?? 'http://localhost:8000').replace(/\/$/, '');
const email = process.env.ADMIN_EMAIL ?? 'admin@shop.local';
const password = process.env.ADMIN_PASSWORD;
if (!password) {
  console.error('ADMIN_PASSWORD is not set (./scripts/run.sh keeps it in .data/dev/secrets.env; scripts/demo-data.sh reads it from there)');
  process.exit(2);
}

try {
  const loader = createDemoLoader(gateway);
  const summary = await loader.load({ admin: { email, password }, products: demoCatalog, customer: demoCustomer });
  console.log(
    `✔ demo catalog: ${summary.created} products created, ${summary.existing} already there (${demoCatalog.length} in ${new Set(demoCatalog.map((p) => p.category)).size} categories)`,
  );
  console.log(`✔ demo customer: ${demoCustomer.email} / ${demoCustomer.password}${summary.customerCreated ? '' : ' (already registered)'}`);
} catch (error) {
  console.error(`✖ demo data: ${(error as Error).message}`);
  process.exit(1);
}
