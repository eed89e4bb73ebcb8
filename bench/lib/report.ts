import { existsSync, readFileSync } from 'node:fs';
import { floorOf, type LadderStep, ladderCpuTable, ladderHealthTable, ladderThroughputTable, sustainedTables } from './ladder.ts';
import type { LoadResult } from './load.ts';
import type { ProfileSummary } from './profile.ts';
import { type BurstResult, type ScenarioResult, type Settings, scenarios } from './scenarios.ts';
import type { ShapeCost } from './shapes.ts';

export interface LevelReport {
  label: string;
  products: number;
  orders: number;
  settings: Settings;
  /** CPU ms per second each process used while nothing was asked of it. */
  idleCpuMsPerS: Record<string, number>;
  queryShapes: ShapeCost[];
  scenarios: Record<string, ScenarioResult>;
  burst?: BurstResult;
  /** Why there is no burst (e.g. carts could not be filled). */
  burstError?: string;
  memory: Record<string, { rssMiB: number; peakMiB: number }>;
}

export interface ProfileReport {
  dir: string;
  /** Per process: its profile cut to each chosen window (level and load). */
  processes: Record<string, { level: string; window: string; summary: ProfileSummary }[]>;
}

/** CPU at rest measured without the profiler (the services and baseline restarted without `--cpu-prof`). */
export interface RestReport {
  profiled: false;
  /** The processes were restarted without the profiler for it (false: the run was not profiled). */
  restarted: boolean;
  settleS: number;
  seconds: number;
  /** Per process: the median of its windows (the only window in reports from before windows). */
  cpuMsPerS: Record<string, number>;
  /** Per process: each window's ms/s, in order; absent in reports from before windows. */
  windowMsPerS?: Record<string, number[]>;
  /** Issue 11's bar for each service at rest, ms of CPU per second. */
  limitMsPerS: number;
}

export interface LadderSettings {
  inFlight: number[];
  orders: number;
  capS: number;
  sustained: number;
  sustainedInFlight: number;
  sustainedCapS: number;
}

export interface Report {
  generatedAt: string;
  mode: 'quick' | 'full';
  machine: { cpus: number; model: string; memoryGiB: number; loadBefore: number[]; loadAfter: number[]; node: string };
  /** The MongoDB-wire server measured; absent in reports of the FerretDB era. */
  database?: string;
  settings: Settings & { users: number; productLevels: number[]; ladder?: LadderSettings };
  levels: LevelReport[];
  /** The load ladder at the first catalog size (absent in reports before it). */
  ladder?: LadderStep[];
  sustained?: LadderStep;
  rest?: RestReport;
  /** Reports before the ladder: orders placed in bursts until a count or a time budget. */
  fill?: {
    bursts: { ordersBefore: number; placed: number; postP50: number; endToEndP50: number; confirmedPerS: number }[];
    placed: number;
    confirmed: number;
    seconds: number;
    target: number;
    budgetS: number;
    ordersInDb: number;
  };
  profile?: ProfileReport;
  durationS: number;
}

const f0 = (n: number | null | undefined) => (n == null || !Number.isFinite(n) ? '–' : n.toFixed(0));
const f1 = (n: number | null | undefined) => (n == null || !Number.isFinite(n) ? '–' : n.toFixed(1));
const f2 = (n: number | null | undefined) => (n == null || !Number.isFinite(n) ? '–' : n.toFixed(2));
const pct = (n: number) => `${(n * 100).toFixed(1)} %`;
/** A ratio with two significant digits below 1 (0.0035×), two decimals above. */
const ratio = (n: number | null | undefined) => (n == null || !Number.isFinite(n) ? '–' : n >= 1 ? n.toFixed(2) : Number(n.toPrecision(2)).toString());
const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
const table = (head: string[], rows: (string | number)[][]) => [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');

/** The database server a report measured (reports before this field was recorded all ran on FerretDB). */
export const databaseOf = (report: Report): string => report.database ?? 'FerretDB 1.24 on SQLite';

/**
 * The database server's process in per-process figures: `mongo` (secantusd-rs) now, `ferretdb`
 * in the reports of the FerretDB era; either is "the database server".
 */
export const DATABASE_PROCESSES = ['mongo', 'ferretdb'] as const;
export const databaseFigure = (perProcess: Record<string, number> | undefined): number | undefined =>
  perProcess ? DATABASE_PROCESSES.map((name) => perProcess[name]).find((v) => v !== undefined) : undefined;

export const BASELINE_OF: Record<string, string> = { findOne: 'baseline findOne', insertOne: 'baseline insertOne' };

/** Throughput and p50 of a scenario as multiples of its same-level baseline. */
export function ratios(level: LevelReport, name: string, result: LoadResult): { rps: number; p50: number } | null {
  const which = scenarios.find((s) => s.name === name)?.baseline ?? (name.startsWith('POST /order') ? 'insertOne' : undefined);
  const base = which ? level.scenarios[BASELINE_OF[which] as string] : undefined;
  if (!base) return null;
  return { rps: result.rps / base.rps, p50: result.p50 / base.p50 };
}

function scenarioRows(level: LevelReport): (string | number)[][] {
  const rows: (string | number)[][] = [];
  const add = (name: string, r: LoadResult) => {
    const rel = ratios(level, name, r);
    rows.push([
      name,
      r.ok,
      r.rps >= 10 ? f0(r.rps) : f2(r.rps),
      f1(r.p50),
      f1(r.p95),
      f1(r.p99),
      `${r.errors}${
        r.errors
          ? ` (${Object.keys(r.statuses)
              .filter((s) => !s.startsWith('2'))
              .join(', ')})`
          : ''
      }${r.ok === 0 && r.cutOff ? `; ${r.cutOff} still unanswered when the run ended` : ''}`,
      rel ? (r.ok ? `${ratio(rel.rps)}×` : '0 (no answer)') : '—',
      rel && r.ok && Number.isFinite(rel.p50) ? `${f1(rel.p50)}×` : '—',
    ]);
  };
  for (const [name, r] of Object.entries(level.scenarios)) add(name, r);
  if (level.burst) add('POST /order (burst)', level.burst.placement);
  return rows;
}

const SCENARIO_HEAD = ['scenario', '2xx answers', 'req/s (2xx)', 'p50 ms', 'p95 ms', 'p99 ms', 'errors (non-2xx)', 'throughput vs baseline', 'p50 vs baseline'];

function burstRow(label: string, b: BurstResult): (string | number)[] {
  const at3 = b.lag.find((s) => s.atMs >= 2900);
  return [
    label,
    b.placed,
    f1(b.placement.p50),
    f1(b.placement.p99),
    f0(b.endToEnd.p50),
    f0(b.endToEnd.p95),
    f0(b.endToEnd.p99),
    f1(b.confirmedPerS),
    Object.entries(b.outcomes)
      .map(([k, v]) => `${k} ${v}`)
      .join(', '),
    b.lag[0]?.total ?? '–',
    at3?.total ?? '–',
    b.lagDrainedMs === null ? 'not in wait' : `${f1(b.lagDrainedMs / 1000)} s`,
  ];
}

const BURST_HEAD = [
  'level',
  'orders',
  'POST p50 ms',
  'POST p99 ms',
  'POST→confirmed p50 ms',
  'p95 ms',
  'p99 ms',
  'confirmed/s',
  'outcomes',
  'lag right after',
  'lag +3 s',
  'all done & lag 0 after',
];

function profileSection(p: ProfileReport, levels: LevelReport[]): string {
  const out: string[] = [];
  out.push(
    'Every service and the baseline ran under `node --cpu-prof` (V8’s sampling profiler, 1 ms) for the whole run; each profile is cut to the time of one load. ' +
      `Raw profiles: \`${p.dir}\` (not committed; open them in Chrome DevTools or read them with \`node bench/profile-top.ts <file>\`). ` +
      '“Busy” is main-thread time not idle; a process can be slow without being busy when it waits on the database.',
  );
  const windowsOf = (level: string, window: string) =>
    Object.entries(p.processes)
      .map(([name, list]) => [name, list.find((w) => w.level === level && w.window === window)?.summary] as const)
      .filter((e): e is readonly [string, ProfileSummary] => e[1] !== undefined)
      .sort((a, b) => b[1].busyMs - a[1].busyMs);
  for (const level of [levels[0], levels.at(-1)].filter((l, i, all): l is LevelReport => l !== undefined && all.indexOf(l) === i)) {
    const confirmed = level.burst?.outcomes.confirmed ?? 0;
    const burst = windowsOf(level.label, 'order burst');
    if (burst.length === 0) continue;
    out.push('', `**Checkout burst at “${level.label}”: main-thread CPU by process** (${confirmed} orders confirmed in the window)`, '');
    out.push(
      table(
        ['process', 'busy ms', 'ms per confirmed order', 'busy share of window', 'where the busy time goes'],
        burst.map(([name, s]) => [
          name,
          f0(s.busyMs),
          confirmed ? f1(s.busyMs / confirmed) : '–',
          pct(s.windowMs ? s.busyMs / s.windowMs : 0),
          s.byOrigin
            .slice(0, 5)
            .map((o) => `${o.frame} ${pct(o.share)}`)
            .join(', '),
        ]),
      ),
    );
    if (level !== levels[0]) continue;
    for (const [name, s] of burst.slice(0, 3)) {
      out.push('', `**${name} (checkout burst): top functions by self time**`, '');
      out.push(
        table(
          ['function', 'where', 'self ms', 'share of busy'],
          s.topSelf.slice(0, 12).map((fr) => [`\`${fr.frame}\``, `\`${fr.where}\``, f0(fr.ms), pct(fr.share)]),
        ),
      );
      out.push('', `**${name} (checkout burst): own code by inclusive time** (the function plus what it calls)`, '');
      out.push(
        table(
          ['function', 'where', 'inclusive ms', 'share of busy'],
          s.topOwnInclusive.slice(0, 10).map((fr) => [`\`${fr.frame}\``, `\`${fr.where}\``, f0(fr.ms), pct(fr.share)]),
        ),
      );
    }
    for (const window of ['GET /product/{id}', 'POST /cart']) {
      const list = windowsOf(level.label, window);
      if (list.length === 0) continue;
      out.push('', `**${window} at “${level.label}”: main-thread CPU by process**`, '');
      out.push(
        table(
          ['process', 'busy ms', 'busy share of window', 'where the busy time goes'],
          list
            .filter(([, s]) => s.busyMs > 1)
            .map(([name, s]) => [
              name,
              f0(s.busyMs),
              pct(s.windowMs ? s.busyMs / s.windowMs : 0),
              s.byOrigin
                .slice(0, 5)
                .map((o) => `${o.frame} ${pct(o.share)}`)
                .join(', '),
            ]),
        ),
      );
    }
  }
  return out.join('\n');
}

const int = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? '?' : n.toLocaleString('en-US').replace(/,/g, ' '));

/** “Why: what one query costs”: each shape's winning plan (standard explain) and its cost and examined documents per level. */
function shapeSection(report: Report): string {
  const out: string[] = ['## Why: what one query costs as the collections grow', ''];
  const shapeNames = report.levels[0]?.queryShapes.map((q) => q.shape) ?? [];
  const ferret = report.levels.some((l) => l.queryShapes.some((q) => q.pushdown !== undefined));
  if (ferret) {
    // Reports of the FerretDB era: its own explain said only whether the filter ran inside SQLite.
    out.push(
      'Each query shape the services use, timed one at a time (no other load from the benchmark) on the baseline’s copy of the catalog, mean ms; ' +
        '“pushdown” is FerretDB’s own explain: yes = the filter runs inside its SQLite storage, no = every document of the collection is decoded and matched in FerretDB.',
      '',
      table(
        ['query shape', 'used by', 'pushdown', ...report.levels.map((l) => l.label)],
        shapeNames.map((shape) => {
          const first = report.levels[0]?.queryShapes.find((q) => q.shape === shape);
          return [
            `\`${shape}\``,
            first?.usedBy ?? '',
            first?.pushdown === undefined ? '–' : first.pushdown ? 'yes' : 'no',
            ...report.levels.map((l) => f1(l.queryShapes.find((q) => q.shape === shape)?.ms)),
          ];
        }),
      ),
      '',
    );
    return out.join('\n');
  }
  out.push(
    'Each query shape the services use, timed one at a time (no other load from the benchmark) on the services’ own collections, with the indexes the services create, mean ms of one query. ' +
      '“plan” is the winning plan from the server’s standard `explain` (outermost stage first; IXSCAN / EXPRESS_IXSCAN name the index, COLLSCAN reads the whole collection); ' +
      "each level’s cell is the mean time, then from `explain('executionStats')` the index keys and documents examined and the documents returned, " +
      'and last how many documents the filter matches in all (`countDocuments`, whatever the limit). ' +
      'A query an index serves examines about what it returns, whatever the collection’s size; a server that reads every match before applying the limit pays for the matches.',
    '',
  );
  out.push(
    table(
      ['query shape', 'used by', 'plan', ...report.levels.map((l) => `${l.products} products: ms; keys, docs examined → returned; matching`)],
      shapeNames.map((shape) => {
        const at = report.levels.map((l) => l.queryShapes.find((q) => q.shape === shape));
        const plans = [...new Set(at.map((q) => q?.plan ?? '?'))];
        const plan = plans.length === 1 ? `\`${plans[0]}\`` : at.map((q, i) => `${report.levels[i]?.products}: \`${q?.plan ?? '?'}\``).join('<br>');
        return [
          `\`${shape}\``,
          at[0]?.usedBy ?? '',
          plan,
          ...at.map((q) =>
            q ? `${q.ms < 10 ? f2(q.ms) : f1(q.ms)} ms; ${int(q.keysExamined)}, ${int(q.docsExamined)} → ${int(q.returned)}; ${int(q.matched)}` : '–',
          ),
        ];
      }),
    ),
    '',
  );
  return out.join('\n');
}

/** The ladder's tables for the console, as the run ends them. */
export function renderLadderConsole(steps: LadderStep[], sustained?: LadderStep): string {
  const all = [...steps, ...(sustained ? [sustained] : [])];
  if (!all.length) return '';
  const out = [
    'Checkout load ladder (ratios to the same-run insertOne floor first):',
    '',
    ladderThroughputTable(all),
    '',
    ladderHealthTable(all),
    '',
    'CPU ms per confirmed order:',
    '',
    ladderCpuTable(all),
  ];
  if (sustained) out.push('', `Sustained run (${sustained.label}):`, '', sustainedTables(sustained));
  return out.join('\n');
}

function ladderSection(report: Report): string {
  const steps = [...(report.ladder ?? []), ...(report.sustained ? [report.sustained] : [])];
  if (!steps.length) return '';
  const out: string[] = ['## Checkout under load: the ladder', ''];
  const st = report.settings.ladder;
  out.push(
    `At the first catalog size, checkout as a closed loop: N customers, each emptying its cart and putting one unit of one product in it (not timed), ` +
      'then `POST /order` with an `Idempotency-Key` of its own, then waiting until the benchmark’s Kafka consumer of `order-events` sees the order end (confirmed, failed or cancelled), then the next order' +
      (st
        ? ` — ${st.orders} orders at each of ${st.inFlight.join(', ')} in flight (each step capped at ${st.capS} s), then a sustained run of ${st.sustained} at ${st.sustainedInFlight} in flight (capped at ${st.sustainedCapS} s).`
        : '.') +
      ' **confirmed/s** is over the whole step, cart refills included. Before each step the baseline’s bare `insertOne` route runs at the same concurrency (N connections) against the same database server: ' +
      'the **insertOne floor**, and the ratios divide by it (the sustained run’s floor is the mean of one run before and one after it). ' +
      'A `503` is retried after its `Retry-After` (1 s without one) with the same `Idempotency-Key`; POST /order times are those of the answer that was not a 503. ' +
      'Every product has far more stock than the benchmark orders, so every refusal for stock — `409 INSUFFICIENT_STOCK`, or an order failed for stock — is a **false refusal**. ' +
      'Kafka lag is summed over all consumer groups but the benchmark’s, sampled during the step; “0 after” counts from the step’s end. CPU is from /proc, from the step’s first POST until the lag is 0.',
    '',
    ladderThroughputTable(steps),
    '',
    ladderHealthTable(steps),
    '',
  );
  const capped = steps.filter((s) => s.capped);
  if (capped.length)
    out.push(
      `**Capped:** ${capped.map((s) => `${s.label} started ${s.ordersDone} of ${s.ordersWanted} orders within its ${s.capS} s`).join('; ')}; its figures are over what was done.`,
      '',
    );
  const reasons = steps.filter((s) => Object.keys(s.failedByReason).length);
  if (reasons.length) {
    out.push('**Orders not confirmed, by reason** (as their order event gave it):', '');
    for (const s of reasons)
      out.push(
        `- ${s.label}: ${Object.entries(s.failedByReason)
          .map(([r, n]) => `${r} × ${n}`)
          .join('; ')}`,
      );
    out.push('');
  }
  const mixed = steps.filter((s) => s.notOneUnit > 0);
  if (mixed.length)
    out.push(
      `Orders holding other than one unit (a refill raced with the cart update of the previous order): ${mixed.map((s) => `${s.label} ${s.notOneUnit}`).join(', ')}.`,
      '',
    );
  out.push(
    '**CPU ms per confirmed order, per process** (the bench runner is the customers and the Kafka watcher, the mail catcher the local SMTP server; neither is in the total; the last column is the insertOne floor before the first step, per insert). ' +
      (report.profile
        ? 'Every process ran under `--cpu-prof`, which costs each about 25 ms per second busy or not, and the time until the lag is 0 is included: the baseline’s row (idle during the ladder) is about what that adds to every process’s figure.'
        : ''),
    '',
    ladderCpuTable(steps),
    '',
  );
  const sustained = report.sustained;
  if (sustained) {
    const floor = floorOf(sustained);
    out.push(
      `### Sustained: ${sustained.label}`,
      '',
      `${sustained.confirmed} orders confirmed in ${f0(sustained.wallS)} s, ${f1(sustained.confirmedPerS)} confirmed/s (${floor ? `${ratio(sustained.confirmedPerS / floor.perS)}× the insertOne floor of ${f0(floor.perS)}/s` : 'no floor'}). ` +
        'The first orders against the last (POST /order p50, POST→confirmed p50), and every slice in the order the orders were started:',
      '',
      sustainedTables(sustained),
      '',
    );
  }
  return out.join('\n');
}

/** CPU at rest without the profiler, against issue 11's bar for each service. */
function restSection(report: Report): string {
  const rest = report.rest;
  if (!rest) return '';
  const services = ['user', 'product', 'cart', 'order', 'inventory', 'payment', 'notification'];
  const over = services.filter((n) => (rest.cpuMsPerS[n] ?? 0) > rest.limitMsPerS);
  const windows = rest.windowMsPerS;
  const windowCount = windows ? Math.max(...Object.values(windows).map((values) => values.length)) : 1;
  const out = [
    `**CPU at rest, without the profiler** (ms of CPU per second over ${f0(rest.seconds)} s after ${rest.settleS} s to settle, from /proc` +
      (windowCount > 1 ? `, in ${windowCount} windows: the median window is the figure, as a one-off such as a major GC lands in one window; ` : '; ') +
      (rest.restarted
        ? 'the services and the baseline were stopped after the load and started again on the same databases without `--cpu-prof`, which costs every process ~25 ms/s on its own). '
        : 'the run was not profiled). ') +
      `Issue 11's bar: each service at most ${rest.limitMsPerS} ms/s. ${over.length ? `**Over it: ${over.join(', ')}.**` : 'Every service is within it.'}`,
    '',
    table(
      ['process', 'ms/s at rest', ...(windowCount > 1 ? ['each window'] : []), `≤ ${rest.limitMsPerS} ms/s`],
      Object.entries(rest.cpuMsPerS).map(([name, v]) => [
        name,
        f1(v),
        ...(windowCount > 1 ? [(windows?.[name] ?? []).map(f1).join(' / ')] : []),
        services.includes(name) ? (v <= rest.limitMsPerS ? 'yes' : '**no**') : '',
      ]),
    ),
    '',
  ];
  return out.join('\n');
}

/** `comparison`: the before-and-after section (compare.ts), placed right after the introduction. */
export function renderMarkdown(report: Report, findingsFile?: string, comparison?: string): string {
  const out: string[] = [];
  const first = report.levels[0];
  const last = report.levels.at(-1);
  const m = report.machine;
  out.push('# Benchmark report', '');
  out.push(
    `Generated ${report.generatedAt} by \`node bench/run.ts${report.mode === 'quick' ? ' --quick' : ''}\` (${report.mode} run, ${f1(report.durationS / 60)} min). ` +
      `Machine: ${m.cpus} × ${m.model}, ${f0(m.memoryGiB)} GiB, Node ${m.node}; load average ${m.loadBefore.map(f2).join(' / ')} before, ${m.loadAfter.map(f2).join(' / ')} after ` +
      `(a shared machine: the absolute numbers move from run to run; the ratios against the same-run baselines are the figures to compare). ` +
      `Load: autocannon, ${report.settings.connections} connections, one request in flight each, ${report.settings.durationS} s per run after a ${report.settings.warmupS} s warm-up; ` +
      `everything (services, the database server ${databaseOf(report)}, Kafka 4.1 KRaft, the load generator) on this one machine over loopback.`,
  );
  if (comparison) out.push('', comparison.trim());
  out.push('', '## Figures', '');
  for (const level of report.levels) {
    const st = level.settings;
    const differs =
      st.durationS !== report.settings.durationS || st.burstOrders !== report.settings.burstOrders || st.connections !== report.settings.connections;
    out.push(`### ${level.label}`, '');
    if (differs)
      out.push(
        `(large catalog: ${st.connections} connection${st.connections === 1 ? '' : 's'}, ${st.durationS} s runs, a burst of ${st.burstOrders} order${st.burstOrders === 1 ? '' : 's'}, requests time out after ${st.timeoutS} s)`,
        '',
      );
    out.push(table(SCENARIO_HEAD, scenarioRows(level)), '');
  }
  out.push(
    'Ratios: throughput is the scenario’s 2xx req/s divided by its baseline’s (1.00× = as fast as one bare findOne / insertOne behind Fastify); ' +
      'p50 is the scenario’s median latency divided by the baseline’s (how many “bare database round trips” a request costs). ' +
      'Catalog reads compare with the findOne route, add-to-cart and order placement with the insertOne route.',
    '',
  );
  out.push('## Checkout end to end', '');
  out.push(
    `Each burst: every one of the ${report.settings.users} customers gets one product in the cart, then places one order (POST /order, ${report.settings.connections} at a time, card payment). ` +
      'POST→confirmed is measured from sending POST /order to the benchmark’s own Kafka consumer (a group of its own on `order-events`) seeing `order.confirmed`. ' +
      'Lag is the sum over all consumer groups of (topic end offset − committed offset), read with the Kafka Admin client right after the last POST answered and again 3 s later.',
    '',
  );
  out.push(
    table(
      BURST_HEAD,
      report.levels.filter((l) => l.burst).map((l) => burstRow(l.label, l.burst as BurstResult)),
    ),
    '',
  );
  for (const level of report.levels.filter((l) => l.burst)) {
    const burst = level.burst as BurstResult;
    const insert = level.scenarios['baseline insertOne'];
    if (insert) {
      out.push(
        `At “${level.label}” placing an order (the POST /order answer) takes ${f0(burst.placement.p50 / insert.p50)}× the median time of one bare insertOne, and the whole checkout to \`confirmed\` ${f0(burst.endToEnd.p50 / insert.p50)}×.`,
        '',
      );
    }
  }
  const lagged = report.levels.find((l) => l.burst?.lag.some((x) => x.total > 0));
  if (lagged?.burst) {
    const lag = lagged.burst.lag;
    const groups = [...new Set(lag.flatMap((x) => Object.keys(x.byGroup)))].sort();
    out.push(
      `**Consumer lag per group after the burst at “${lagged.label}”** (messages not yet committed, by topic):`,
      '',
      table(
        ['consumer group', ...lag.map((x) => `at +${f1(x.atMs / 1000)} s`)],
        groups.map((g) => [
          g,
          ...lag.map((x) => {
            const topics = Object.entries(x.byTopic[g] ?? {})
              .map(([t, n]) => `${t} ${n}`)
              .join(', ');
            return `${x.byGroup[g] ?? 0}${topics ? ` (${topics})` : ''}`;
          }),
        ]),
      ),
      '',
    );
  }
  const ladder = ladderSection(report);
  if (ladder) out.push(ladder);
  const fill = report.fill;
  if (fill) {
    out.push(
      '## Sustained orders, and how they move as orders accumulate',
      '',
      `At the first catalog size, orders were placed in bursts of ${fill.bursts[0]?.placed ?? '–'} (each cart refilled through the API before each burst) until ${fill.target} orders were in the database or ${fill.budgetS} s had passed: ` +
        `${fill.placed} orders in ${f0(fill.seconds)} s, ${fill.confirmed} confirmed — **${f1(fill.confirmed / fill.seconds)} confirmed orders/s sustained**, cart refills and waits included; ` +
        `${fill.ordersInDb} orders in the database afterwards.` +
        (fill.ordersInDb < fill.target
          ? ` **Scaled down:** ${fill.target} orders did not fit the time budget on this machine (at this rate they would take about ${f0(fill.target / Math.max(0.01, fill.confirmed / fill.seconds) / 60)} min); the table shows the trend up to ${fill.ordersInDb}.`
          : ''),
      '',
    );
    out.push(
      table(
        ['orders in the database before the burst', 'orders placed', 'POST /order p50 ms', 'POST→confirmed p50 ms', 'confirmed/s'],
        fill.bursts.map((b) => [b.ordersBefore, b.placed, f0(b.postP50), f0(b.endToEndP50), f1(b.confirmedPerS)]),
      ),
      '',
    );
  }
  out.push(
    '## Memory per service',
    '',
    'Resident set size (VmRSS from /proc/<pid>/status) after each level, MiB; the last column is the peak (VmHWM) over the whole run.',
    '',
  );
  const procs = Object.keys(last?.memory ?? {});
  out.push(
    table(
      ['process', ...report.levels.map((l) => l.label), 'peak'],
      procs.map((name) => [name, ...report.levels.map((l) => f0(l.memory[name]?.rssMiB)), f0(last?.memory[name]?.peakMiB)]),
    ),
    '',
  );
  out.push(
    '## Where the CPU goes',
    '',
    `CPU time (user + system from /proc/<pid>/stat) each process used per successful request, ms, at “${first?.label ?? ''}” — including the load generator. ` +
      'For the order burst it is per confirmed order, counted until every consumer had caught up. The sum is what bounds throughput on a small machine. ' +
      `\`${Object.keys(first?.idleCpuMsPerS ?? {}).find((n) => (DATABASE_PROCESSES as readonly string[]).includes(n)) ?? 'mongo'}\` is the database server. The other levels’ figures are in report.json.`,
    '',
  );
  if (first) {
    const cols: [string, Record<string, number>][] = Object.entries(first.scenarios).map(([n, r]) => [n, r.cpuMsPerOk]);
    if (first.burst) cols.push(['order (POST→confirmed)', first.burst.cpuMsPerOrder]);
    const names = [...new Set(cols.flatMap(([, c]) => Object.keys(c)))];
    out.push(
      table(
        ['process', ...cols.map(([n]) => n)],
        names.map((name) => [name, ...cols.map(([, c]) => f2(c[name]))]),
      ),
      '',
      table(
        ['', ...cols.map(([n]) => n)],
        [
          [
            'share of the machine these processes used',
            ...Object.values(first.scenarios).map((r) => pct(r.machineCpu)),
            ...(first.burst ? [pct(first.burst.machineCpu)] : []),
          ],
        ],
      ),
      '',
    );
    const rest = restSection(report);
    if (rest) out.push(rest);
    out.push(
      report.rest
        ? '**CPU at rest under the profiler** (every process ran under `--cpu-prof` during the levels; what the profiler costs is in these figures), ms/s, at the start of each level:'
        : '**CPU at rest** (ms of CPU per second with no load: pollers, sweepers, heartbeats), per level:',
      '',
    );
    const idleNames = [...new Set(report.levels.flatMap((l) => Object.keys(l.idleCpuMsPerS)))];
    out.push(
      table(
        ['process', ...report.levels.map((l) => l.label)],
        idleNames.map((n) => [n, ...report.levels.map((l) => f0(l.idleCpuMsPerS[n]))]),
      ),
      '',
    );
  }
  if (first && last && first !== last) {
    out.push('## How the numbers move with scale', '', `From “${first.label}” to “${last.label}”:`, '');
    const rowsOf: (string | number)[][] = [];
    const names = [...new Set(report.levels.flatMap((l) => Object.keys(l.scenarios)))];
    for (const name of names) {
      rowsOf.push([`${name} req/s`, ...report.levels.map((l) => f0(l.scenarios[name]?.rps))]);
      rowsOf.push([`${name} p99 ms`, ...report.levels.map((l) => f1(l.scenarios[name]?.p99))]);
      rowsOf.push([`${name}: database server CPU per 2xx, ms`, ...report.levels.map((l) => f2(databaseFigure(l.scenarios[name]?.cpuMsPerOk)))]);
    }
    rowsOf.push(['POST /order p50 ms', ...report.levels.map((l) => f1(l.burst?.placement.p50))]);
    rowsOf.push(['POST→confirmed p50 ms', ...report.levels.map((l) => f0(l.burst?.endToEnd.p50))]);
    rowsOf.push(['confirmed orders/s (burst)', ...report.levels.map((l) => f1(l.burst?.confirmedPerS))]);
    rowsOf.push(['database server CPU per confirmed order, ms', ...report.levels.map((l) => f1(databaseFigure(l.burst?.cpuMsPerOrder)))]);
    out.push(table(['figure', ...report.levels.map((l) => l.label)], rowsOf), '');
  }
  out.push(shapeSection(report));
  out.push('## What the profile shows', '');
  if (report.profile) out.push(profileSection(report.profile, report.levels), '');
  else out.push('(not profiled: run with --profile to see where the time goes)', '');
  if (findingsFile && existsSync(findingsFile)) out.push(readFileSync(findingsFile, 'utf8').trim(), '');
  out.push('![chart](chart.png)', '');
  return `${out.join('\n')}\n`;
}
