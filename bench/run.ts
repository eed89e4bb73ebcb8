/**
 * The benchmark: one command that starts all seven services (real processes) plus a bare
 * baseline server, seeds the catalog, drives load with autocannon and prints/writes a report
 * (bench/results/report.{md,json}, chart.png). Needs Kafka and a MongoDB-wire server:
 * ./scripts/bench.sh starts them on benchmark ports and runs this. See docs/benchmarks.md.
 *
 *   node bench/run.ts [--quick] [--products 1000,10000,100000] [--orders 10000] [--order-seconds 45]
 *                     [--duration 5] [--connections 10] [--users 50] [--no-profile] [--out dir] [--render-only]
 *                     [--before earlier/report.json]   (default bench/results/ferretdb/report.json)
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type Db, MongoClient } from 'mongodb';
import { startBaseline } from './lib/baseline.ts';
import { renderChart } from './lib/chart.ts';
import { compareSection } from './lib/compare.ts';
import { createLagProbe, watchOrderOutcomes } from './lib/kafka.ts';
import { cpuMeter, infraPids, localDatabaseServer, memoryOf } from './lib/proc.ts';
import { readProfile, summariseProfile } from './lib/profile.ts';
import { type LevelReport, type ProfileReport, type Report, renderMarkdown } from './lib/report.ts';
import {
  type BurstResult,
  type Context,
  clearCarts,
  measure,
  orderBurst,
  type ScenarioResult,
  type Settings,
  scenarios,
  type Window,
} from './lib/scenarios.ts';
import { seedCatalog } from './lib/seed.ts';
import { queryShapes } from './lib/shapes.ts';
import { customers } from './lib/shop.ts';
import { type BenchSystem, startBenchSystem } from './lib/system.ts';

const HERE = dirname(fileURLToPath(import.meta.url));

const { values: args } = parseArgs({
  allowNegative: true,
  options: {
    quick: { type: 'boolean', default: false },
    products: { type: 'string' },
    orders: { type: 'string' },
    'order-seconds': { type: 'string' },
    duration: { type: 'string' },
    connections: { type: 'string' },
    users: { type: 'string' },
    profile: { type: 'boolean', default: true },
    out: { type: 'string' },
    'render-only': { type: 'boolean', default: false },
    before: { type: 'string' },
  },
});

const quick = args.quick;
const num = (value: string | undefined, fallback: number) => (value === undefined ? fallback : Number(value));
const base: Settings = {
  connections: num(args.connections, 10),
  durationS: num(args.duration, quick ? 2 : 5),
  warmupS: quick ? 0.5 : 1,
  maxRequests: 200_000,
  timeoutS: 30,
  burstOrders: num(args.users, quick ? 20 : 50),
  burstSendS: 60,
  burstWaitS: 60,
};
const options = {
  quick,
  productLevels: (args.products ?? (quick ? '1000,3000' : '1000,10000,100000')).split(',').map(Number),
  orderTarget: num(args.orders, quick ? 200 : 10_000),
  orderSeconds: num(args['order-seconds'], quick ? 15 : 45),
  users: base.burstOrders,
  profile: args.profile,
  settings: base,
  out: resolve(args.out ?? join(HERE, quick ? 'results/quick' : 'results')),
};

/** The before-and-after section against an earlier report.json (--before; default: the last full run on FerretDB). */
function comparisonWith(report: Report): string | undefined {
  const file = args.before ?? join(HERE, 'results', 'ferretdb', 'report.json');
  if (!existsSync(file) || resolve(file) === resolve(join(options.out, 'report.json'))) return undefined;
  return compareSection(report, JSON.parse(readFileSync(file, 'utf8')) as Report, relative(join(HERE, '..'), file));
}

// --render-only: write report.md and chart.png again from the report.json in --out (e.g. after editing bench/findings.md).
if (args['render-only']) {
  const report = JSON.parse(readFileSync(join(options.out, 'report.json'), 'utf8')) as Report;
  writeFileSync(join(options.out, 'report.md'), renderMarkdown(report, join(HERE, 'findings.md'), comparisonWith(report)));
  renderChart(report, join(options.out, 'chart.png'));
  console.log(`rendered ${join(options.out, 'report.md')} and chart.png from report.json`);
  process.exit(0);
}

const brokers = (process.env.KAFKA_BROKER ?? '').split(',').filter(Boolean);
const mongoUri = process.env.MONGO_URI;
if (!brokers.length || !mongoUri) {
  console.error('KAFKA_BROKER and MONGO_URI must point at Kafka and a MongoDB-wire server; ./scripts/bench.sh starts both and runs this.');
  process.exit(2);
}

const began = performance.now();
const log = (line: string) => console.log(`[${((performance.now() - began) / 1000).toFixed(0).padStart(4)} s] ${line}`);
const cleanups: (() => Promise<unknown>)[] = [];
const cleanup = async () => {
  for (const step of cleanups.reverse()) await step().catch((error) => console.error('cleanup:', error));
  cleanups.length = 0;
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`${signal}: stopping`);
    void cleanup().finally(() => process.exit(130));
  });
}

const memoryOfAll = (ctx: Context) =>
  Object.fromEntries(
    Object.entries(ctx.pids())
      .map(([name, pid]) => [name, memoryOf(pid)] as const)
      .filter(([, m]) => m !== null),
  ) as Record<string, { rssMiB: number; peakMiB: number }>;

async function idleCpu(ctx: Context, seconds: number): Promise<Record<string, number>> {
  const meter = cpuMeter(ctx.pids).start();
  await sleep(seconds * 1000);
  const { cpuMs, wallMs } = meter();
  return Object.fromEntries(Object.entries(cpuMs).map(([name, ms]) => [name, (ms / wallMs) * 1000]));
}

async function measureLevel(ctx: Context, label: string, ordersInDb: () => Promise<number>, dbs: { product: Db; inventory: Db }): Promise<LevelReport> {
  ctx.level = label;
  log(`level: ${label}`);
  // Let the previous phase's leftovers finish (a fixed pause: what counts as quiet is measured just after).
  await sleep(3000);
  const idle = await idleCpu(ctx, quick ? 2 : 3);
  ctx.quietMsPerS = Object.entries(idle).reduce((sum, [name, ms]) => sum + (name === 'bench runner' ? 0 : ms), 0);
  const shapes = await queryShapes(dbs, ctx.productIds, quick ? { budgetMs: 500 } : {});
  log(`  query cost one at a time: ${shapes.map((q) => `${q.shape} ${q.ms.toFixed(1)} ms (${q.plan ?? '?'}, ${q.docsExamined ?? '?'} docs)`).join('; ')}`);
  const results: Record<string, ScenarioResult> = {};
  for (const scenario of scenarios) {
    try {
      results[scenario.name] = await measure(ctx, scenario);
    } catch (error) {
      log(`  ${scenario.name}: failed: ${(error as Error).message}`);
    }
  }
  let burst: BurstResult | undefined;
  let burstError: string | undefined;
  try {
    await clearCarts(ctx);
    burst = await orderBurst(ctx, ctx.users.slice(0, ctx.settings.burstOrders), { window: 'order burst' });
  } catch (error) {
    burstError = (error as Error).message;
    log(`  order burst failed: ${burstError}`);
  }
  return {
    label,
    products: ctx.productIds.length,
    orders: await ordersInDb(),
    settings: ctx.settings,
    idleCpuMsPerS: idle,
    queryShapes: shapes,
    scenarios: results,
    burst,
    ...(burstError ? { burstError } : {}),
    memory: memoryOfAll(ctx),
  };
}

async function main(): Promise<void> {
  mkdirSync(options.out, { recursive: true });
  const profileDir = join(options.out, 'profiles', new Date().toISOString().replace(/[:.]/g, '-'));
  if (options.profile) mkdirSync(profileDir, { recursive: true });
  // Every service (and the baseline, for a fair comparison) runs under the sampling profiler from the start;
  // the profiles are cut to the windows of the load afterwards.
  const profiled = (name: string): Record<string, string> =>
    options.profile ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profileDir} --cpu-prof-name=${name}.cpuprofile` } : {};
  const loadBefore = loadavg();
  log(`starting the seven services (${quick ? 'quick' : 'full'} run; ${cpus().length} CPUs, load ${loadBefore.map((l) => l.toFixed(2)).join(' ')})`);
  const system: BenchSystem = await startBenchSystem({}, profiled);
  cleanups.push(() => system.stop());
  const mongo = new MongoClient(mongoUri as string);
  await mongo.connect();
  cleanups.push(() => mongo.close());
  const baseline = await startBaseline({ MONGO_URI: mongoUri as string, MONGO_DB: `${system.prefix}_baseline`, ...profiled('baseline') });
  cleanups.push(() => baseline.stop());
  const watcher = await watchOrderOutcomes(brokers);
  cleanups.push(() => watcher.close());
  const lag = createLagProbe(brokers);
  cleanups.push(() => lag.close());
  const dbs = { product: mongo.db(system.dbName('product')), inventory: mongo.db(system.dbName('inventory')), baseline: mongo.db(`${system.prefix}_baseline`) };
  const ordersInDb = () => mongo.db(system.dbName('order')).collection('orders').countDocuments();
  const wireVersion = String((await mongo.db('admin').command({ buildInfo: 1 })).version ?? '?');
  const local = localDatabaseServer();
  const database = local
    ? `${local} on WiredTiger, MongoDB ${wireVersion} wire protocol`
    : `a MongoDB-wire server of your own reporting version ${wireVersion}`;
  log(`database server: ${database}`);

  log(`registering ${options.users} customers`);
  const ctx: Context = {
    system,
    baseline,
    settings: options.settings,
    productIds: [],
    users: await customers(system, options.users),
    watcher,
    lag,
    pids: () => ({
      ...Object.fromEntries([...system.processes].map(([name, p]) => [name, p.child.pid ?? 0])),
      baseline: baseline.pid,
      ...infraPids(),
    }),
    log,
    level: 'start',
    windows: [],
    quietMsPerS: 0,
  };

  const seedTo = async (count: number) => {
    const t = performance.now();
    ctx.productIds.push(...(await seedCatalog(dbs, ctx.productIds.length, count)));
    log(
      `seeded the catalog to ${count} products in ${((performance.now() - t) / 1000).toFixed(1)} s (insertMany into the product, inventory and baseline databases)`,
    );
  };

  const levels: LevelReport[] = [];
  const [firstLevel, ...moreLevels] = options.productLevels;
  await seedTo(firstLevel as number);
  // Warm the checkout path once (JIT, connection pools, consumer fetch sessions).
  await orderBurst(ctx, ctx.users.slice(0, Math.min(10, ctx.users.length)), { quiet: true });
  levels.push(await measureLevel(ctx, `${firstLevel} products, ${await ordersInDb()} orders`, ordersInDb, dbs));

  // Orders accumulate (at the first catalog size): bursts until the target count or the time budget is reached.
  log(`placing orders until ${options.orderTarget} are in the database or ${options.orderSeconds} s have passed`);
  const fillStart = performance.now();
  const fill: Report['fill'] = { bursts: [], placed: 0, confirmed: 0, seconds: 0, target: options.orderTarget, budgetS: options.orderSeconds, ordersInDb: 0 };
  ctx.level = `${firstLevel} products, orders accumulating`;
  for (
    let before = await ordersInDb();
    before < options.orderTarget && performance.now() - fillStart < options.orderSeconds * 1000;
    before = await ordersInDb()
  ) {
    const burst = await orderBurst(ctx, ctx.users.slice(0, Math.min(ctx.users.length, 25)), { quiet: true });
    fill.bursts.push({
      ordersBefore: before,
      placed: burst.placed,
      postP50: burst.placement.p50,
      endToEndP50: burst.endToEnd.p50,
      confirmedPerS: burst.confirmedPerS,
    });
    fill.placed += burst.placed;
    fill.confirmed += burst.outcomes.confirmed ?? 0;
    log(
      `  ${before} orders in the database: POST p50 ${burst.placement.p50.toFixed(0)} ms, POST→confirmed p50 ${burst.endToEnd.p50.toFixed(0)} ms, ${burst.confirmedPerS.toFixed(1)} confirmed/s`,
    );
  }
  fill.seconds = (performance.now() - fillStart) / 1000;
  fill.ordersInDb = await ordersInDb();
  log(
    `  ${fill.placed} orders in ${fill.seconds.toFixed(0)} s (${(fill.confirmed / fill.seconds).toFixed(1)} confirmed/s including cart refills); ${fill.ordersInDb} in the database`,
  );

  for (const count of moreLevels) {
    await seedTo(count);
    levels.push(await measureLevel(ctx, `${count} products, ${await ordersInDb()} orders`, ordersInDb, dbs));
  }

  // A graceful stop writes the profiles.
  await cleanup();
  const profile = options.profile ? summariseProfiles(profileDir, ctx.windows, levels) : undefined;
  const report: Report = {
    generatedAt: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? '', memoryGiB: totalmem() / 2 ** 30, loadBefore, loadAfter: loadavg(), node: process.version },
    database,
    settings: { ...options.settings, users: options.users, productLevels: options.productLevels },
    levels,
    fill,
    profile,
    durationS: (performance.now() - began) / 1000,
  };
  writeFileSync(join(options.out, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(options.out, 'report.md'), renderMarkdown(report, join(HERE, 'findings.md'), comparisonWith(report)));
  renderChart(report, join(options.out, 'chart.png'));
  log(`report: ${join(options.out, 'report.md')} (+ report.json, chart.png); ${(report.durationS / 60).toFixed(1)} min in all`);
}

/**
 * Cuts each process's profile to the windows of the first level's loads (the checkout burst,
 * GET /product/{id}, POST /cart) and of the last level's burst, and summarises where the time went.
 */
function summariseProfiles(dir: string, windows: Window[], levels: LevelReport[]): ProfileReport {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  const wanted = [levels[0]?.label, levels.at(-1)?.label];
  const chosen = windows.filter((w) => wanted.includes(w.level) && ['order burst', 'GET /product/{id}', 'POST /cart', 'baseline findOne'].includes(w.name));
  const processes: ProfileReport['processes'] = {};
  for (const file of files) {
    const name = file.replace('.cpuprofile', '');
    const profile = readProfile(join(dir, file));
    processes[name] = chosen.map((w) => ({ level: w.level, window: w.name, summary: summariseProfile(profile, { fromUs: w.fromUs, toUs: w.toUs }) }));
  }
  log(`profiles: ${files.length} summarised from ${dir}`);
  return { dir, processes };
}

main()
  .catch(async (error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => cleanup());
