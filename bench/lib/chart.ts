import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { type Report, ratios } from './report.ts';

const COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1'];
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

interface Series {
  name: string;
  values: (number | undefined)[];
}

interface Panel {
  x: number;
  y: number;
  w: number;
  h: number;
  title: string;
  unit: string;
  groups: string[];
  series: Series[];
  log?: boolean;
  /** A dashed reference line (e.g. 1.0 = the baseline). */
  reference?: { value: number; label: string };
}

const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : Number(v.toPrecision(2)).toString());

/** Grouped vertical bars with value labels; linear from 0 or log10. */
function bars(p: Panel): string {
  const out: string[] = [];
  const left = p.x + 56;
  const top = p.y + 44;
  const width = p.w - 70;
  const height = p.h - 135;
  const all = p.series.flatMap((s) => s.values).filter((v): v is number => v !== undefined && Number.isFinite(v) && v > 0);
  const max = Math.max(...all, p.reference?.value ?? 0, 1e-9);
  const min = p.log ? Math.min(...all, p.reference?.value ?? Number.POSITIVE_INFINITY) : 0;
  const lo = p.log ? 10 ** Math.floor(Math.log10(min)) : 0;
  const hi = p.log ? 10 ** Math.ceil(Math.log10(max)) : max * 1.15;
  const scale = (v: number) => (p.log ? (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) : v / hi);
  const yOf = (v: number) => top + height - Math.max(0, Math.min(1, scale(v))) * height;
  out.push(`<text x="${p.x + 8}" y="${p.y + 22}" font-size="16" font-weight="bold">${esc(p.title)}</text>`);
  const ticks = p.log ? Array.from({ length: Math.round(Math.log10(hi / lo)) + 1 }, (_, i) => lo * 10 ** i) : Array.from({ length: 5 }, (_, i) => (hi / 4) * i);
  for (const t of ticks) {
    const y = yOf(t);
    out.push(`<line x1="${left}" x2="${left + width}" y1="${y}" y2="${y}" stroke="#ddd"/>`);
    out.push(`<text x="${left - 6}" y="${y + 4}" font-size="11" text-anchor="end" fill="#555">${fmt(t)}</text>`);
  }
  out.push(
    `<text x="${p.x + 12}" y="${top + height / 2}" font-size="11" fill="#555" transform="rotate(-90 ${p.x + 12} ${top + height / 2})" text-anchor="middle">${esc(p.unit)}</text>`,
  );
  const groupW = width / p.groups.length;
  const barW = Math.min(40, (groupW * 0.8) / p.series.length);
  p.groups.forEach((group, gi) => {
    const gx = left + gi * groupW + (groupW - barW * p.series.length) / 2;
    p.series.forEach((s, si) => {
      const v = s.values[gi];
      if (v === undefined || !Number.isFinite(v) || v <= 0) return;
      const y = yOf(v);
      out.push(`<rect x="${gx + si * barW}" y="${y}" width="${barW - 2}" height="${top + height - y}" fill="${COLORS[si % COLORS.length]}"/>`);
      out.push(`<text x="${gx + si * barW + barW / 2 - 1}" y="${y - 3}" font-size="10" text-anchor="middle">${fmt(v)}</text>`);
    });
    const words = group.split(' ');
    words.forEach((word, wi) => {
      out.push(`<text x="${left + gi * groupW + groupW / 2}" y="${top + height + 16 + wi * 13}" font-size="11" text-anchor="middle">${esc(word)}</text>`);
    });
  });
  if (p.reference) {
    const y = yOf(p.reference.value);
    out.push(`<line x1="${left}" x2="${left + width}" y1="${y}" y2="${y}" stroke="#333" stroke-dasharray="5,4"/>`);
    out.push(`<text x="${left + width - 4}" y="${y - 4}" font-size="11" text-anchor="end" fill="#333">${esc(p.reference.label)}</text>`);
  }
  out.push(`<line x1="${left}" x2="${left + width}" y1="${top + height}" y2="${top + height}" stroke="#333"/>`);
  // Legend.
  let lx = left;
  const ly = p.y + p.h - 12;
  p.series.forEach((s, si) => {
    out.push(`<rect x="${lx}" y="${ly - 10}" width="12" height="12" fill="${COLORS[si % COLORS.length]}"/>`);
    out.push(`<text x="${lx + 16}" y="${ly}" font-size="11">${esc(s.name)}</text>`);
    lx += 24 + s.name.length * 6.5;
  });
  return out.join('\n');
}

/** Writes the report's chart as PNG (SVG drawn here, converted by rsvg-convert); falls back to the SVG beside it. */
export function renderChart(report: Report, pngFile: string): void {
  const W = 1400;
  const H = 1500;
  const row = H / 3;
  const levels = report.levels;
  const compared = ['GET /product/{id}', 'GET /product?category=', 'POST /cart', 'POST /order (burst)'];
  const resultOf = (level: (typeof levels)[number], name: string) => (name.startsWith('POST /order') ? level.burst?.placement : level.scenarios[name]);
  const ratioPanel: Panel = {
    x: 0,
    y: 40,
    w: W / 2,
    h: row - 40,
    title: 'Throughput as a share of the same-run baseline (log scale)',
    unit: 'scenario req/s ÷ baseline req/s',
    log: true,
    groups: compared,
    series: levels.map((l) => ({
      name: l.label,
      values: compared.map((name) => {
        const r = resultOf(l, name);
        return r ? ratios(l, name, r)?.rps : undefined;
      }),
    })),
    reference: { value: 1, label: 'baseline = 1' },
  };
  const latencyGroups = [
    'baseline findOne',
    'GET /product/{id}',
    'GET /product?category=',
    'baseline insertOne',
    'POST /cart',
    'POST /order (burst)',
    'POST→confirmed',
  ];
  const last = levels.at(-1);
  const first = levels[0];
  const latencyPanel: Panel = {
    x: W / 2,
    y: 40,
    w: W / 2,
    h: row - 40,
    title: `Latency at “${first?.label ?? ''}” (log scale)`,
    unit: 'ms',
    groups: latencyGroups,
    log: true,
    series: (['p50', 'p95', 'p99'] as const).map((q) => ({
      name: q,
      values: latencyGroups.map((name) => {
        if (!first) return undefined;
        if (name === 'POST→confirmed') return first.burst?.endToEnd[q];
        return resultOf(first, name)?.[q];
      }),
    })),
  };
  const scalePanel: Panel = {
    x: 0,
    y: row,
    w: W / 2,
    h: row,
    title: 'Checkout per catalog size: POST /order → confirmed',
    unit: 'ms (log scale)',
    log: true,
    groups: levels.map((l) => `${l.products / 1000}k products`),
    series: [
      { name: 'POST /order p50', values: levels.map((l) => l.burst?.placement.p50) },
      { name: 'POST→confirmed p50', values: levels.map((l) => l.burst?.endToEnd.p50) },
      { name: 'POST→confirmed p95', values: levels.map((l) => l.burst?.endToEnd.p95) },
      { name: 'lag drained (ms)', values: levels.map((l) => l.burst?.lagDrainedMs ?? undefined) },
    ],
  };
  const procs = Object.keys(last?.memory ?? {});
  const memoryPanel: Panel = {
    x: W / 2,
    y: row,
    w: W / 2,
    h: row,
    title: 'Memory per process (RSS)',
    unit: 'MiB',
    groups: procs,
    series: [
      { name: `RSS after “${levels[0]?.label ?? ''}”`, values: procs.map((p) => levels[0]?.memory[p]?.rssMiB) },
      { name: `RSS after “${last?.label ?? ''}”`, values: procs.map((p) => last?.memory[p]?.rssMiB) },
      { name: 'peak (VmHWM)', values: procs.map((p) => last?.memory[p]?.peakMiB) },
    ],
  };
  // The sustained run's slices (reports before the ladder: the accumulating bursts).
  const chunks = report.sustained?.chunks;
  const fill = chunks
    ? chunks.map((c) => ({ group: `orders ${c.from + 1}–${c.to}`, postP50: c.postP50, endToEndP50: c.endToEndP50 }))
    : (report.fill?.bursts ?? []).map((b) => ({ group: `${b.ordersBefore} orders`, postP50: b.postP50, endToEndP50: b.endToEndP50 }));
  const ordersPanel: Panel = {
    x: 0,
    y: 2 * row,
    w: W / 2,
    h: row,
    title: chunks
      ? `Sustained checkout, ${report.sustained?.inFlight} in flight (${first?.products ?? ''} products)`
      : `Checkout as orders accumulate (${first?.products ?? ''} products)`,
    unit: 'ms (log scale)',
    log: true,
    groups: fill.map((b) => b.group),
    series: [
      { name: 'POST /order p50', values: fill.map((b) => b.postP50) },
      { name: 'POST→confirmed p50', values: fill.map((b) => b.endToEndP50) },
    ],
  };
  const shapeNames = first?.queryShapes.map((q) => q.shape) ?? [];
  const shapesPanel: Panel = {
    x: W / 2,
    y: 2 * row,
    w: W / 2,
    h: row,
    title: 'One query, one at a time, by shape and catalog size',
    unit: 'ms (log scale)',
    log: true,
    groups: shapeNames.map((n) =>
      n
        .replace(/ sorted.*$/, '')
        .replace('deletedAt: {$exists: false}', 'alive')
        .replace('available: {$gte: 1}', 'guarded')
        .replace('{$exists: true}', 'exists')
        .replace(/[{}':]/g, '')
        .replace(/\(.*\)/, '')
        .replace(/,/g, ' '),
    ),
    series: levels.map((l) => ({ name: `${l.products} products`, values: shapeNames.map((n) => l.queryShapes.find((q) => q.shape === n)?.ms) })),
  };
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="DejaVu Sans, sans-serif">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="12" y="26" font-size="18" font-weight="bold">Shop benchmark — ${esc(report.generatedAt.slice(0, 16).replace('T', ' '))} UTC, ${report.machine.cpus} CPUs, ${report.mode} run</text>`,
    bars(ratioPanel),
    bars(latencyPanel),
    bars(scalePanel),
    bars(memoryPanel),
    bars(ordersPanel),
    bars(shapesPanel),
    '</svg>',
  ].join('\n');
  const svgFile = pngFile.replace(/\.png$/, '.svg');
  writeFileSync(svgFile, svg);
  try {
    execFileSync('rsvg-convert', ['-f', 'png', '-o', pngFile, svgFile]);
  } catch (error) {
    console.error(`chart: rsvg-convert failed (${(error as Error).message}); the SVG is at ${svgFile} (apt-get install librsvg2-bin)`);
  }
}
