import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ; 100 on Linux everywhere that matters). */
const TICKS_PER_SECOND = 100;

export interface Memory {
  /** Resident set size now, MiB. */
  rssMiB: number;
  /** Peak resident set size of the process so far (VmHWM), MiB. */
  peakMiB: number;
}

const kib = (status: string, field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);

/** VmRSS and VmHWM of a process from /proc/<pid>/status; null when it is gone. */
export function memoryOf(pid: number): Memory | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return { rssMiB: kib(status, 'VmRSS') / 1024, peakMiB: kib(status, 'VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** CPU time (user + system) a process has used so far, in ms; null when it is gone. */
export function cpuMsOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; fields after its closing parenthesis are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** The processes infra/bin/infra starts, by the name the report gives them, and their pid files under INFRA_DATA_DIR. */
const INFRA_PROCESSES = [
  ['kafka', 'kafka/kafka.pid'],
  // The MongoDB-wire server (infra/bin/mongo: SecantusDB's secantusd-rs).
  ['mongo', 'mongo/secantusd.pid'],
  // infra/bin/mail: the local SMTP server every mail goes to. It shares the machine, so it is measured.
  ['mail catcher', 'mail/mail.pid'],
] as const;

/**
 * Measured processes that are not the shop: the load generator (the customers and the Kafka
 * watcher) and the mail catcher, which stands in for an SMTP server elsewhere. Totals leave them out.
 */
const NOT_THE_SHOP: readonly string[] = ['bench runner', 'mail catcher'];

/** CPU (or anything per process) summed over the shop's processes: the services, Kafka and the database. */
export function shopTotal(byProcess: Record<string, number>): number {
  return Object.entries(byProcess).reduce((sum, [name, value]) => (NOT_THE_SHOP.includes(name) || !Number.isFinite(value) ? sum : sum + value), 0);
}

const pidFrom = (file: string): number | null => {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return pid > 0 && cpuMsOf(pid) !== null ? pid : null;
  } catch {
    return null;
  }
};

/** The Kafka and MongoDB-wire server processes started by infra/bin/infra, from their pid files (when started locally). */
export function infraPids(dataDir = process.env.INFRA_DATA_DIR): Record<string, number> {
  const pids: Record<string, number> = {};
  if (!dataDir) return pids;
  for (const [name, file] of INFRA_PROCESSES) {
    const pid = pidFrom(join(dataDir, file));
    if (pid !== null) pids[name] = pid;
  }
  return pids;
}

/**
 * What the local MongoDB-wire server is, from its command line: infra/bin/mongo runs the binary
 * from a cache directory named after its version (…/secantusd-rs/<version>/bin/secantusd-rs).
 * Undefined when it was not started locally (MONGO_URI of your own).
 */
export function localDatabaseServer(dataDir = process.env.INFRA_DATA_DIR): string | undefined {
  const pid = dataDir ? pidFrom(join(dataDir, 'mongo/secantusd.pid')) : null;
  if (pid === null) return undefined;
  try {
    const exe = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
    const version = /\/([^/]+)\/bin\/secantusd-rs$/.exec(exe)?.[1];
    return `secantusd-rs${version ? ` ${version}` : ''}`;
  } catch {
    return 'secantusd-rs';
  }
}

/** CPU used by each named process between `start()` and `stop()`, in ms. */
export function cpuMeter(pids: () => Record<string, number>) {
  const snapshot = () => {
    const own = process.cpuUsage();
    const at: Record<string, number> = { 'bench runner': (own.user + own.system) / 1000 };
    for (const [name, pid] of Object.entries(pids())) {
      const ms = cpuMsOf(pid);
      if (ms !== null) at[name] = ms;
    }
    return at;
  };
  return {
    start() {
      const before = snapshot();
      const startedAt = performance.now();
      return () => {
        const after = snapshot();
        const used: Record<string, number> = {};
        for (const [name, ms] of Object.entries(after)) if (before[name] !== undefined) used[name] = ms - (before[name] as number);
        return { wallMs: performance.now() - startedAt, cpuMs: used };
      };
    },
  };
}
