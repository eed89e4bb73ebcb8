import { setTimeout as sleep } from 'node:timers/promises';
import { type Case, casesFor, type GenerateContext } from './generate.ts';
import type { Operation } from './openapi.ts';
import { createRandom, seedFor } from './random.ts';
import { type Answer, complaintAbout, curlOf, send } from './send.ts';
import { type Change, changes, describeChanges, type Snapshot } from './snapshot.ts';

export interface Principal {
  name: string;
  /** The Authorization header, or undefined for an anonymous caller. */
  authorization?: string;
}

export interface Target {
  baseUrl: string;
  operations: Operation[];
}

export interface FuzzOptions {
  targets: Target[];
  /** Every case is sent once per principal (auth cases only with their own header). */
  principals: Principal[];
  /** Its `random` is replaced per operation by one seeded from `seed` and the operation's name. */
  context: Omit<GenerateContext, 'random'>;
  seed: number;
  /** Only operations whose name (`<service> <METHOD> <path>`) contains this. */
  only?: string;
  /** Every database the system writes to, whole. */
  snapshot(): Promise<Snapshot>;
  /** Which documents count (see `changes`); all of them by default. */
  relevant?: (json: string) => boolean;
  /**
   * `<METHOD> <path> <field>` of fields that may name an id nothing has yet (e.g. the orderId a
   * reservation is made for); anywhere else a write naming an unknown id must be refused.
   */
  mayIntroduceIds?: Set<string>;
  /** Called with the body of every accepted write, to learn the ids it created. */
  accepted?: (text: string) => void;
  /** Refused requests sent between two snapshots. */
  batchSize?: number;
  /** How long the databases must stay unchanged before an accepted write counts as finished (its events handled). */
  quietMs?: number;
  log?: (line: string) => void;
}

export interface Violation {
  operation: string;
  label: string;
  principal: string;
  complaint: string;
  request: string;
  answer?: string;
}

export interface OperationReport {
  operation: string;
  cases: number;
  requests: number;
  accepted: number;
}

export interface FuzzReport {
  operations: OperationReport[];
  cases: number;
  requests: number;
  violations: Violation[];
  /** Schema-valid requests refused with 409 (a business conflict) that wrote: allowed, listed for review. */
  conflictWrites: string[];
  ms: number;
  /** Where the time went: database snapshots, and waiting for accepted writes to settle. */
  snapshots: { count: number; ms: number };
  settles: { count: number; ms: number };
}

interface Sent {
  operation: string;
  baseUrl: string;
  c: Case;
  principal: Principal;
  status: number;
}

const isWrite = (method: string) => method !== 'GET' && method !== 'HEAD';
const short = (answer: Answer) => `${answer.status} ${answer.contentType} ${answer.text.length > 300 ? `${answer.text.slice(0, 300)}…` : answer.text}`;

/**
 * Sends every generated bad request of every operation as every principal and checks each answer:
 * no 5xx; a 4xx is problem+json with its status; a request its own schema rules out is never
 * accepted. And refused requests write nothing: the databases are compared before and after each
 * batch of refused requests; a batch that wrote is replayed one request at a time to name the
 * culprit.
 *
 * Requests that might be valid run alone (the batch before them is checked first). If one is
 * accepted it may write, now and through its events, so the fuzzer waits until the databases are
 * quiet and takes a new baseline. The same for a 409 on such a request: a business conflict
 * (insufficient stock), not bad input, which may leave a record by design; those writes are
 * listed in the report, not counted as violations.
 */
export async function fuzz(options: FuzzOptions): Promise<FuzzReport> {
  const started = Date.now();
  const relevant = options.relevant ?? (() => true);
  const batchSize = options.batchSize ?? 90;
  const quietMs = options.quietMs ?? 400;
  const pollMs = 100;
  const log = options.log ?? (() => {});
  const violations: Violation[] = [];
  const conflictWrites: string[] = [];
  const reports: OperationReport[] = [];
  const snapshots = { count: 0, ms: 0 };
  const settles = { count: 0, ms: 0 };
  const snapshot = async () => {
    const t = Date.now();
    const taken = await options.snapshot();
    snapshots.count++;
    snapshots.ms += Date.now() - t;
    return taken;
  };
  let baseline: Snapshot;
  let pending: Sent[] = [];

  const violation = (sent: Sent, complaint: string, answer?: Answer) => {
    violations.push({
      operation: sent.operation,
      label: sent.c.label,
      principal: sent.principal.name,
      complaint,
      request: curlOf(sent.baseUrl, sent.c, sent.principal.authorization),
      ...(answer ? { answer: short(answer) } : {}),
    });
  };

  /** Waits until nothing relevant changed for `quietMs`, and returns that state. */
  const quiet = async (): Promise<Snapshot> => {
    const t = Date.now();
    let last = await snapshot();
    let still = 0;
    for (let polls = 0; polls < 100 && still < quietMs; polls++) {
      await sleep(pollMs);
      const now = await snapshot();
      still = changes(last, now, relevant).length === 0 ? still + pollMs : 0;
      last = now;
    }
    settles.count++;
    settles.ms += Date.now() - t;
    return last;
  };

  /** Checks that the requests sent since the baseline (refused ones, and reads) wrote nothing. */
  const check = async () => {
    if (pending.length === 0) return;
    const now = await snapshot();
    const written = changes(baseline, now, relevant);
    const batch = pending;
    pending = [];
    baseline = now;
    if (written.length === 0) return;
    // Name the culprit: let any after-effects land, then replay the batch one request at a time.
    let culprit: { sent: Sent; changes: Change[] } | undefined;
    let before = await quiet();
    for (const sent of batch) {
      await send(sent.baseUrl, sent.c, sent.principal.authorization);
      const after = await snapshot();
      const own = changes(before, after, relevant);
      if (own.length > 0) {
        culprit = { sent, changes: own };
        break;
      }
      before = after;
    }
    baseline = await quiet();
    if (culprit) {
      violation(culprit.sent, `a request answered ${culprit.sent.status} wrote:\n    ${describeChanges(culprit.changes)}`);
    } else {
      const list = batch.map((s) => `${s.principal.name} → ${s.status}: ${s.c.label}`).join('\n      ');
      violation(batch[0] as Sent, `refused requests wrote (not reproduced one by one; the batch):\n      ${list}\n    ${describeChanges(written)}`);
    }
  };

  const sendAll = async (operation: string, baseUrl: string, c: Case, report: OperationReport): Promise<{ sent: Sent; answer: Answer }[]> => {
    const principals = c.authorization === undefined ? options.principals : [{ name: 'bad token', authorization: c.authorization }];
    const results: { sent: Sent; answer: Answer }[] = [];
    for (const principal of principals) {
      const answer = await send(baseUrl, c, principal.authorization);
      const sent: Sent = { operation, baseUrl, c, principal, status: answer.status };
      report.requests++;
      const complaint = complaintAbout(answer);
      if (complaint) violation(sent, complaint, answer);
      if (answer.status >= 200 && answer.status < 300) {
        report.accepted++;
        if (!c.mayBeValid) violation(sent, `accepted (${answer.status}) although its own OpenAPI schema rules it out`, answer);
        const key = `${c.method} ${operation.split(' ').at(-1)} ${c.unknownId}`;
        if (isWrite(c.method) && c.unknownId && !options.mayIntroduceIds?.has(key)) {
          violation(sent, `accepted (${answer.status}) a write naming an unknown id in ${c.unknownId}`, answer);
        }
        if (isWrite(c.method)) {
          log(`  accepted ${answer.status}: ${c.label} (${principal.name})`);
          options.accepted?.(answer.text);
        }
      }
      results.push({ sent, answer });
    }
    return results;
  };

  baseline = await quiet();
  for (const target of options.targets) {
    for (const operation of target.operations) {
      const name = `${operation.service} ${operation.method} ${operation.path}`;
      const opStarted = Date.now();
      if (options.only && !name.includes(options.only)) continue;
      const cases = casesFor(operation, { ...options.context, random: createRandom(seedFor(options.seed, name)) });
      const report: OperationReport = { operation: name, cases: cases.length, requests: 0, accepted: 0 };
      reports.push(report);
      for (const c of cases) {
        const alone = c.mayBeValid && isWrite(c.method);
        if (alone) await check();
        const results = await sendAll(name, target.baseUrl, c, report);
        const acceptedWrite = isWrite(c.method) && results.some((r) => r.answer.status >= 200 && r.answer.status < 300);
        const conflict = alone && results.some((r) => r.answer.status === 409);
        if (acceptedWrite) {
          pending = [];
          baseline = await quiet();
        } else if (conflict) {
          const settled = await quiet();
          const written = changes(baseline, settled, relevant);
          if (written.length > 0)
            conflictWrites.push(
              `${name} — ${c.label}: 409, wrote ${written.length} document(s): ${written.map((w) => `${w.kind} ${w.collection}`).join(', ')}`,
            );
          pending = [];
          baseline = settled;
        } else {
          pending.push(...results.map((r) => r.sent));
          if (pending.length >= batchSize) await check();
        }
      }
      await check();
      log(`${name}: ${report.cases} cases, ${report.requests} requests, ${report.accepted} accepted, ${Date.now() - opStarted} ms`);
    }
  }
  return {
    operations: reports,
    cases: reports.reduce((n, r) => n + r.cases, 0),
    requests: reports.reduce((n, r) => n + r.requests, 0),
    violations,
    conflictWrites,
    ms: Date.now() - started,
    snapshots,
    settles,
  };
}

/** Violations grouped by what went wrong, each group with the cases it hit and one request to reproduce it. */
export function describeViolations(list: Violation[], maxGroups = 25): string {
  const groups = new Map<string, Violation[]>();
  for (const v of list) {
    const key = `${v.operation} — ${v.complaint.split('\n')[0]}`;
    groups.set(key, [...(groups.get(key) ?? []), v]);
  }
  const lines = [...groups].slice(0, maxGroups).map(([key, vs]) => {
    const first = vs[0] as Violation;
    const labels = [...new Set(vs.map((v) => `${v.label} (${v.principal})`))];
    const cases = labels.length > 6 ? [...labels.slice(0, 6), `… ${labels.length - 6} more`] : labels;
    return `• ${key}  [${vs.length}×]\n    cases: ${cases.join('; ')}\n    ${first.complaint}\n    request: ${first.request}${first.answer ? `\n    answer:  ${first.answer}` : ''}`;
  });
  if (groups.size > maxGroups) lines.push(`… and ${groups.size - maxGroups} more groups`);
  return lines.join('\n');
}
