/**
 * The benchmark: one command that starts all seven services (real processes) plus a bare
 * baseline server, seeds the catalog, drives load with autocannon, runs the checkout load ladder
 * (closed loops of N customers) and a sustained run, measures CPU at rest without the profiler,
 * and prints/writes a report (bench/results/report.{md,json}, chart.png). Needs Kafka and a
 * MongoDB-wire server: ./scripts/bench.sh starts them on benchmark ports and runs this. See docs/benchmarks.md.
 *
 *   node bench/run.ts [--quick] [--products 1000,10000,100000]
 *                     [--ladder 10,50,100] [--ladder-orders 1000] [--ladder-seconds 120]
 *                     [--sustained 10000] [--sustained-in-flight 50] [--sustained-seconds 720] [--rest-seconds 60]
 *                     [--duration 5] [--connections 10] [--users 50] [--profile] [--out dir] [--render-only]
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
import { type BaselineServer, startBaseline } from './lib/baseline.ts';
import { renderChart } from './lib/chart.ts';
import { compareSection } from './lib/compare.ts';
import { createLagProbe, watchOrderOutcomes } from './lib/kafka.ts';
import { type LadderStep, runStep } from './lib/ladder.ts';
import { cpuMeter, infraPids, localDatabaseServer, memoryOf, shopTotal } from './lib/proc.ts';
import { readProfile, summariseProfile } from './lib/profile.ts';
import { type LevelReport, type ProfileReport, type Report, type RestReport, renderLadderConsole, renderMarkdown } from './lib/report.ts';
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
  warmAll,
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
    ladder: { type: 'string' },
    'ladder-orders': { type: 'string' },
    'ladder-seconds': { type: 'string' },
    sustained: { type: 'string' },
    'sustained-in-flight': { type: 'string' },
    'sustained-seconds': { type: 'string' },
    'rest-seconds': { type: 'string' },
    duration: { type: 'string' },
    connections: { type: 'string' },
    users: { type: 'string' },
    // Off by default: the profiler costs every process ~25 ms/s, about a fifth of the checkout's throughput here.
    profile: { type: 'boolean', default: false },
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
  ladder: {
    inFlight: (args.ladder ?? (quick ? '10,50' : '10,50,100'))
      .split(',')
      .map(Number)
      .filter((n) => n > 0),
    orders: num(args['ladder-orders'], quick ? 100 : 1000),
    capS: num(args['ladder-seconds'], quick ? 60 : 120),
    sustained: num(args.sustained, quick ? 300 : 10_000),
    sustainedInFlight: num(args['sustained-in-flight'], 50),
    sustainedCapS: num(args['sustained-seconds'], quick ? 90 : 720),
  },
  /** CPU at rest without the profiler: a settle period, then this long (at least 10 s). */
  rest: { settleS: quick ? 10 : 15, seconds: Math.max(10, num(args['rest-seconds'], quick ? 10 : 60)) },
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

/** The processes measured: the seven services, the baseline, Kafka and the database server. */
const pidsOf = (system: BenchSystem, baseline: { pid: number }) => () => ({
  ...Object.fromEntries([...system.processes].map(([name, p]) => [name, p.child.pid ?? 0])),
  baseline: baseline.pid,
  ...infraPids(),
});

/**
 * CPU at rest, truthfully: under `--cpu-prof` every process pays for the profiler (~25 ms/s, the
 * bare baseline included), so the profiled services and the baseline are stopped (writing their
 * profiles) and started again without it on the same databases; after a settle period each
 * process's CPU is read from /proc over `seconds`. Without --profile the running ones are measured.
 */
async function cpuAtRest(system: BenchSystem, baseline: BaselineServer): Promise<RestReport> {
  const { settleS, seconds } = options.rest;
  let pids = pidsOf(system, baseline);
  if (options.profile) {
    log('CPU at rest without the profiler: stopping the profiled services and baseline, starting them again on the same databases');
    await Promise.all([system.stop(), baseline.stop()]);
    const quietSystem = await startBenchSystem({}, () => ({}), { prefix: system.prefix });
    cleanups.push(() => quietSystem.stop());
    const quietBaseline = await startBaseline({ MONGO_URI: mongoUri as string, MONGO_DB: `${system.prefix}_baseline` });
    cleanups.push(() => quietBaseline.stop());
    pids = pidsOf(quietSystem, quietBaseline);
  }
  // One window per 20 s measured (at least one): a one-off such as a major GC of V8's memory reducer
  // (~100 ms, docs/at-rest.md) lands in one window, and the median window is the steady state.
  const windows = Math.max(1, Math.floor(seconds / 20));
  log(`CPU at rest: ${settleS} s to settle, then ${seconds} s measured in ${windows} window(s)`);
  await sleep(settleS * 1000);
  const measured: { cpuMs: Record<string, number>; wallMs: number }[] = [];
  for (let i = 0; i < windows; i++) {
    const meter = cpuMeter(pids).start();
    await sleep((seconds / windows) * 1000);
    measured.push(meter());
  }
  const windowMsPerS: Record<string, number[]> = {};
  for (const { cpuMs, wallMs } of measured) {
    for (const [name, ms] of Object.entries(cpuMs)) windowMsPerS[name] = [...(windowMsPerS[name] ?? []), (ms / wallMs) * 1000];
  }
  const cpuMsPerS = Object.fromEntries(Object.entries(windowMsPerS).map(([name, values]) => [name, median(values)]));
  log(
    `  ${Object.entries(windowMsPerS)
      .map(([name, values]) => `${name} ${values.map((v) => v.toFixed(1)).join(' / ')}`)
      .join(', ')} ms/s`,
  );
  const wallS = measured.reduce((sum, { wallMs }) => sum + wallMs, 0) / 1000;
  return { profiled: false, restarted: options.profile, settleS, seconds: wallS, cpuMsPerS, windowMsPerS, limitMsPerS: 5 };
}

/** The middle value (the mean of the two middle ones for an even count). */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

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
  ctx.quietMsPerS = shopTotal(idle);
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
  let lagClosed = false;
  const closeLag = async () => {
    if (!lagClosed) await lag.close();
    lagClosed = true;
  };
  cleanups.push(closeLag);
  const dbs = { product: mongo.db(system.dbName('product')), inventory: mongo.db(system.dbName('inventory')), baseline: mongo.db(`${system.prefix}_baseline`) };
  const ordersInDb = () => mongo.db(system.dbName('order')).collection('orders').countDocuments();
  const wireVersion = String((await mongo.db('admin').command({ buildInfo: 1 })).version ?? '?');
  const local = localDatabaseServer();
  const database = local
    ? `${local} on WiredTiger, MongoDB ${wireVersion} wire protocol`
    : `a MongoDB-wire server of your own reporting version ${wireVersion}`;
  log(`database server: ${database}`);

  // The ladder's N in flight needs N customers (one cart each).
  const customerCount = Math.max(options.users, ...options.ladder.inFlight, options.ladder.sustained > 0 ? options.ladder.sustainedInFlight : 0);
  log(`registering ${customerCount} customers`);
  const ctx: Context = {
    system,
    baseline,
    settings: options.settings,
    productIds: [],
    users: await customers(system, customerCount),
    watcher,
    lag,
    pids: pidsOf(system, baseline),
    mongo,
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
  // And every timed route, so the first level's first load is not measured cold.
  await warmAll(ctx, quick ? 1 : 3);
  levels.push(await measureLevel(ctx, `${firstLevel} products, ${await ordersInDb()} orders`, ordersInDb, dbs));

  // The load ladder and the sustained run, once, at the first catalog size: closed loops of N customers.
  const ladder: LadderStep[] = [];
  ctx.level = `${firstLevel} products, ladder`;
  for (const inFlight of options.ladder.inFlight) {
    try {
      ladder.push(await runStep(ctx, { label: `${inFlight} in flight`, kind: 'step', inFlight, orders: options.ladder.orders, capS: options.ladder.capS }));
    } catch (error) {
      log(`  ladder step ${inFlight} in flight failed: ${(error as Error).message}`);
    }
  }
  let sustained: LadderStep | undefined;
  if (options.ladder.sustained > 0) {
    ctx.level = `${firstLevel} products, sustained`;
    try {
      sustained = await runStep(
        ctx,
        {
          label: `sustained, ${options.ladder.sustainedInFlight} in flight`,
          kind: 'sustained',
          inFlight: options.ladder.sustainedInFlight,
          orders: options.ladder.sustained,
          capS: options.ladder.sustainedCapS,
          chunk: quick ? 100 : 1000,
        },
        { drainS: 60 },
      );
    } catch (error) {
      log(`  sustained run failed: ${(error as Error).message}`);
    }
  }
  const ladderText = renderLadderConsole(ladder, sustained);
  if (ladderText) console.log(`\n${ladderText}\n`);

  for (const count of moreLevels) {
    await seedTo(count);
    levels.push(await measureLevel(ctx, `${count} products, ${await ordersInDb()} orders`, ordersInDb, dbs));
  }

  await watcher.close();
  await closeLag();
  const rest = await cpuAtRest(system, baseline);
  // A graceful stop writes the profiles (those of the profiled processes were written when cpuAtRest stopped them).
  await cleanup();
  const profile = options.profile ? summariseProfiles(profileDir, ctx.windows, levels) : undefined;
  const report: Report = {
    generatedAt: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? '', memoryGiB: totalmem() / 2 ** 30, loadBefore, loadAfter: loadavg(), node: process.version },
    database,
    settings: { ...options.settings, users: options.users, productLevels: options.productLevels, ladder: options.ladder },
    levels,
    ladder,
    ...(sustained ? { sustained } : {}),
    rest,
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
