import { DATABASE_PROCESSES, databaseFigure, databaseOf, type LevelReport, type Report, ratios } from './report.ts';

/**
 * "Before and after": this run against an earlier report.json of the same benchmark (by default
 * bench/results/ferretdb/, the last full run on FerretDB 1.24 before secantusd-rs replaced it).
 * Levels are matched by catalog size. The machine is shared, so the ratio against each run's own
 * baseline is the figure to compare; raw req/s are shown too. The database server's process is
 * `ferretdb` in the reports of the FerretDB era and `mongo` now: both are "the database server".
 */
const fmt = (n: number | null | undefined, digits = 1) => (n == null || !Number.isFinite(n) ? '–' : n >= 100 ? n.toFixed(0) : n.toFixed(digits));
const ratio = (n: number | null | undefined) => (n == null || !Number.isFinite(n) ? '–' : n >= 1 ? n.toFixed(2) : Number(n.toPrecision(2)).toString());
const change = (before: number | null | undefined, after: number | null | undefined) => {
  if (before == null || after == null || !Number.isFinite(before) || !Number.isFinite(after)) return '–';
  if (before === 0) return after === 0 ? '=' : 'from none';
  return `${ratio(after / before)}×`;
};
const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;

const settingsOf = (level: LevelReport) => `${level.settings.connections} conn., ${level.settings.durationS} s runs, bursts of ${level.settings.burstOrders}`;

/** Confirmed orders/s sustained: the sustained closed-loop run, or in reports before it the accumulating bursts. */
const sustainedRate = (report: Report) =>
  report.sustained ? report.sustained.confirmedPerS : report.fill ? report.fill.confirmed / Math.max(report.fill.seconds, 1) : undefined;
const sustainedHow = (report: Report) =>
  report.sustained
    ? `${report.sustained.confirmed} orders at ${report.sustained.inFlight} in flight`
    : report.fill
      ? `bursts of ${report.fill.bursts[0]?.placed ?? '?'}, carts refilled between them, ${report.fill.ordersInDb} orders in the database at the end`
      : 'not measured';

export function compareSection(after: Report, before: Report, beforeName: string): string {
  const out: string[] = ['## Before and after', ''];
  const [dbBefore, dbAfter] = [databaseOf(before), databaseOf(after)];
  out.push(
    `This run (database server: ${dbAfter}) against \`${beforeName}\` (${dbBefore}; generated ${before.generatedAt}, load average ${before.machine.loadBefore.map((n) => n.toFixed(1)).join(' / ')} before it). ` +
      '“vs baseline” is the scenario’s throughput divided by its own run’s baseline (findOne for reads, insertOne for writes): the figure that is comparable across runs on a shared machine. “change” is after ÷ before (above 1× = better for throughput).',
    '',
  );
  const differing = after.levels
    .map((level) => [level, before.levels.find((l) => l.products === level.products)] as const)
    .filter(([a, b]) => b && settingsOf(a) !== settingsOf(b));
  if (differing.length)
    out.push(
      `Settings differ at ${differing.map(([a, b]) => `${a.products} products (before: ${settingsOf(b as LevelReport)}; after: ${settingsOf(a)})`).join(', ')}: ` +
        'each run’s scenarios and baselines ran under the same settings, so the ratios compare; raw req/s and latencies do not.',
      '',
    );
  out.push(
    row(['catalog', 'scenario', 'req/s before', 'req/s after', 'change', 'vs baseline before', 'vs baseline after', 'change', 'p50 ms before', 'p50 ms after']),
  );
  out.push(row(Array.from({ length: 10 }, () => '---')));
  for (const level of after.levels) {
    const old = before.levels.find((l) => l.products === level.products);
    if (!old) continue;
    for (const [name, result] of Object.entries(level.scenarios)) {
      const was = old.scenarios[name];
      if (!was || name.startsWith('baseline')) continue;
      const rel = ratios(level, name, result);
      const relWas = ratios(old, name, was);
      out.push(
        row([
          level.products,
          name,
          fmt(was.rps, 2),
          fmt(result.rps, 2),
          change(was.rps, result.rps),
          ratio(relWas?.rps),
          ratio(rel?.rps),
          change(relWas?.rps, rel?.rps),
          fmt(was.p50),
          fmt(result.p50),
        ]),
      );
    }
  }
  out.push('', row(['catalog', 'checkout figure', 'before', 'after', 'change']), row(['---', '---', '---', '---', '---']));
  for (const level of after.levels) {
    const old = before.levels.find((l) => l.products === level.products);
    const [b, a] = [old?.burst, level.burst];
    if (!old || (!a && !b)) continue;
    const lines: [string, number | null | undefined, number | null | undefined][] = [
      ['POST /order p50 ms', b?.placement.p50, a?.placement.p50],
      ['POST→confirmed p50 ms', b?.endToEnd.p50, a?.endToEnd.p50],
      ['confirmed orders/s (burst)', b?.confirmedPerS, a?.confirmedPerS],
      ['all consumers caught up after, s', b?.lagDrainedMs == null ? null : b.lagDrainedMs / 1000, a?.lagDrainedMs == null ? null : a.lagDrainedMs / 1000],
      ['database server CPU per confirmed order, ms', databaseFigure(b?.cpuMsPerOrder), databaseFigure(a?.cpuMsPerOrder)],
    ];
    for (const [what, was, now] of lines) out.push(row([level.products, what, fmt(was), fmt(now), change(was, now)]));
  }
  out.push(
    '',
    row([
      'catalog',
      'database server CPU per `GET /product/{id}`, ms, before',
      'after',
      'change',
      'database server CPU at rest, ms/s, before',
      'after',
      'change',
    ]),
    row(Array.from({ length: 7 }, () => '---')),
  );
  for (const level of after.levels) {
    const old = before.levels.find((l) => l.products === level.products);
    if (!old) continue;
    const [readBefore, readAfter] = [
      databaseFigure(old.scenarios['GET /product/{id}']?.cpuMsPerOk),
      databaseFigure(level.scenarios['GET /product/{id}']?.cpuMsPerOk),
    ];
    const [idleBefore, idleAfter] = [databaseFigure(old.idleCpuMsPerS), databaseFigure(level.idleCpuMsPerS)];
    out.push(
      row([level.products, fmt(readBefore), fmt(readAfter), change(readBefore, readAfter), fmt(idleBefore), fmt(idleAfter), change(idleBefore, idleAfter)]),
    );
  }
  const processOf = (report: Report) => DATABASE_PROCESSES.find((name) => report.levels.some((l) => l.idleCpuMsPerS[name] !== undefined)) ?? '?';
  out.push(
    '',
    `“database server” is the \`${processOf(before)}\` process (${dbBefore}) in the before run and the \`${processOf(after)}\` process (${dbAfter}) in this one.`,
  );
  out.push(
    '',
    `Sustained orders (first catalog size): ${fmt(sustainedRate(before), 2)} → ${fmt(sustainedRate(after), 2)} confirmed orders/s` +
      ` (${sustainedHow(before)} before; ${sustainedHow(after)} after).`,
    '',
  );
  return out.join('\n');
}
