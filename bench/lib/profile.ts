import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface FrameCost {
  frame: string;
  where: string;
  ms: number;
  /** Share of the busy (non-idle) time in the window. */
  share: number;
}

export interface ProfileSummary {
  /** Time covered by the samples in the window, ms. */
  windowMs: number;
  /** Of that, ms the main thread was not idle. */
  busyMs: number;
  /** Busy time by where the code lives: a package, node core, the service's own code, GC. */
  byOrigin: FrameCost[];
  /** Functions by their own (self) time. */
  topSelf: FrameCost[];
  /** The project's own functions (services/, packages/) by inclusive time: they plus what they call. */
  topOwnInclusive: FrameCost[];
}

const ROOT_MARK = /\/(services|packages|tests|bench)\//;

/** Where a frame's code lives. */
export function originOf(frame: CallFrame): string {
  if (frame.functionName === '(garbage collector)') return 'GC';
  if (frame.functionName === '(program)') return 'native (program)';
  if (frame.functionName === '(idle)') return 'idle';
  const url = frame.url;
  if (!url) return 'V8 builtins';
  if (url.startsWith('node:')) return 'node core';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? url);
  }
  const own = /\/(services\/[^/]+|packages\/[^/]+)\//.exec(url);
  if (own) return own[1] as string;
  return 'other';
}

const shortUrl = (url: string) => {
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) return url.slice(nm + '/node_modules/'.length);
  const own = ROOT_MARK.exec(url);
  return own ? url.slice(own.index + 1) : url.replace(/^file:\/\//, '');
};

/**
 * Summarises a .cpuprofile (from `node --cpu-prof`) over a time window given in the
 * process's monotonic clock in µs (the clock of `process.hrtime`, which V8's profile uses on
 * Linux), so start-up and shut-down are left out.
 */
export function summariseProfile(profile: CpuProfile, window?: { fromUs: number; toUs: number }, top = 15): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  let t = profile.startTime;
  let windowUs = 0;
  const deltas = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    t += deltas[i] ?? 0;
    // A sample stands for the time until the next one.
    const duration = deltas[i + 1] ?? 0;
    if (window && (t < window.fromUs || t > window.toUs)) continue;
    windowUs += duration;
    const id = profile.samples[i] as number;
    self.set(id, (self.get(id) ?? 0) + duration);
  }
  const label = (f: CallFrame) => f.functionName || '(anonymous)';
  const where = (f: CallFrame) => (f.url ? `${shortUrl(f.url)}:${f.lineNumber + 1}` : '');
  const selfByFrame = new Map<string, { frame: string; where: string; us: number }>();
  const byOrigin = new Map<string, number>();
  const inclusive = new Map<string, { frame: string; where: string; us: number }>();
  let idleUs = 0;
  for (const [id, us] of self) {
    const node = byId.get(id);
    if (!node) continue;
    const f = node.callFrame;
    const origin = originOf(f);
    if (origin === 'idle') {
      idleUs += us;
      continue;
    }
    byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + us);
    const key = `${label(f)} ${where(f)}`;
    const entry = selfByFrame.get(key) ?? { frame: label(f), where: where(f), us: 0 };
    entry.us += us;
    selfByFrame.set(key, entry);
    // Inclusive time of the project's own functions on this stack, each counted once.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const cf = byId.get(at)?.callFrame;
      if (!cf || !ROOT_MARK.test(cf.url) || cf.url.includes('/node_modules/')) continue;
      const k = `${label(cf)} ${where(cf)}`;
      if (seen.has(k)) continue;
      seen.add(k);
      const e = inclusive.get(k) ?? { frame: label(cf), where: where(cf), us: 0 };
      e.us += us;
      inclusive.set(k, e);
    }
  }
  const busyUs = windowUs - idleUs;
  const toCost = (e: { frame: string; where: string; us: number }): FrameCost => ({
    frame: e.frame,
    where: e.where,
    ms: e.us / 1000,
    share: busyUs > 0 ? e.us / busyUs : 0,
  });
  const rank = (list: Iterable<{ frame: string; where: string; us: number }>) =>
    [...list]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map(toCost);
  return {
    windowMs: windowUs / 1000,
    busyMs: busyUs / 1000,
    byOrigin: rank([...byOrigin].map(([frame, us]) => ({ frame, where: '', us }))),
    topSelf: rank(selfByFrame.values()),
    topOwnInclusive: rank(inclusive.values()),
  };
}

export const readProfile = (file: string): CpuProfile => JSON.parse(readFileSync(file, 'utf8'));
