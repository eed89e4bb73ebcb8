/** One sample of a Prometheus text exposition: `name{labels} value`. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s+(\S+)(?:\s+\S+)?$/;

/**
 * Parses the text format (https://prometheus.io/docs/instrumenting/exposition_formats/): comments
 * and lines it cannot read are skipped, so a new kind of line never breaks the system page.
 */
export function parsePrometheus(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (!match) continue;
    const labels = match[2] ? parseLabels(match[2].slice(1, -1)) : {};
    const value = parseValue(match[3] as string);
    if (labels && value !== undefined) samples.push({ name: match[1] as string, labels, value });
  }
  return samples;
}

function parseValue(text: string): number | undefined {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  const value = Number(text);
  return Number.isNaN(value) && text !== 'NaN' ? undefined : value;
}

// `a="x",b="y \"quoted\""`; undefined when malformed.
function parseLabels(text: string): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf('=', i);
    if (eq < 0 || text[eq + 1] !== '"') return undefined;
    const name = text.slice(i, eq).trim();
    let value = '';
    let j = eq + 2;
    for (; j < text.length && text[j] !== '"'; j++) {
      if (text[j] === '\\') {
        j++;
        value += text[j] === 'n' ? '\n' : (text[j] ?? '');
      } else {
        value += text[j];
      }
    }
    if (j >= text.length) return undefined;
    labels[name] = value;
    i = j + 1;
    while (text[i] === ',' || text[i] === ' ') i++;
  }
  return labels;
}

/** The samples of one metric. */
export const samplesOf = (samples: Sample[], name: string) => samples.filter((sample) => sample.name === name);

/** The sum of a metric over all its label sets; null when the service does not expose it. */
export function sumOf(samples: Sample[], name: string): number | null {
  const found = samplesOf(samples, name);
  const total = found.reduce((sum, sample) => sum + sample.value, 0);
  return found.length === 0 || !Number.isFinite(total) ? null : total;
}

/** The largest value of a metric over its label sets; null when absent. */
export function maxOf(samples: Sample[], name: string): number | null {
  const found = samplesOf(samples, name);
  const max = Math.max(...found.map((sample) => sample.value));
  return found.length === 0 || !Number.isFinite(max) ? null : max;
}

/**
 * The q-quantile of a histogram from its cumulative `_bucket{le}` samples (summed over the other
 * labels), by linear interpolation inside the bucket, as Prometheus' histogram_quantile does.
 * Null without observations; the highest finite bound when the quantile falls in +Inf.
 */
export function histogramQuantile(samples: Sample[], name: string, q: number): number | null {
  const byBound = new Map<number, number>();
  for (const sample of samplesOf(samples, `${name}_bucket`)) {
    const bound = parseValue(sample.labels.le ?? '');
    if (bound !== undefined) byBound.set(bound, (byBound.get(bound) ?? 0) + sample.value);
  }
  const buckets = [...byBound].sort(([a], [b]) => a - b);
  const total = buckets.at(-1)?.[1] ?? 0;
  if (total === 0) return null;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const [bound, count] of buckets) {
    if (count >= rank) {
      if (bound === Number.POSITIVE_INFINITY) return lowerBound;
      return lowerBound + ((bound - lowerBound) * (rank - lowerCount)) / Math.max(count - lowerCount, 1e-9);
    }
    lowerBound = bound;
    lowerCount = count;
  }
  return lowerBound;
}
