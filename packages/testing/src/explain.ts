import assert from 'node:assert/strict';
import type { CommandStartedEvent, Db, Document, IndexDescription } from 'mongodb';
import { testDatabase } from './database.ts';
import type { Hooks } from './support.ts';

/** One stage of a query plan, as explain reports it. */
interface PlanStage {
  stage: string;
  indexName?: string;
}

/** Stages that read an index (MongoDB 8 answers a plain equality with EXPRESS_IXSCAN). */
const INDEX_SCANS = new Set(['IXSCAN', 'EXPRESS_IXSCAN', 'DISTINCT_SCAN', 'COUNT_SCAN']);

/** What the driver adds to a command besides the query itself; explain wants the query alone. */
const SESSION_FIELDS = new Set(['lsid', 'txnNumber', 'autocommit', 'startTransaction', 'readConcern', 'writeConcern']);

/**
 * The stages of a winning plan, outermost first. Walks `inputStage` / `inputStages`, and the
 * wrappers servers put around a plan: `queryPlan` (MongoDB's slot-based engine) and
 * `shards[].winningPlan` (a sharded cluster). secantusd-rs answers in MongoDB's classic format.
 */
function planStages(plan: Document | undefined): PlanStage[] {
  if (!plan || typeof plan !== 'object') return [];
  const own: PlanStage[] =
    typeof plan.stage === 'string' ? [{ stage: plan.stage, ...(typeof plan.indexName === 'string' ? { indexName: plan.indexName } : {}) }] : [];
  const children: Document[] = [
    plan.queryPlan,
    plan.inputStage,
    ...(plan.inputStages ?? []),
    ...(plan.shards ?? []).map((shard: Document) => shard.winningPlan),
  ];
  return [...own, ...children.flatMap(planStages)];
}

/** A winning plan in one line, e.g. `LIMIT > FETCH > IXSCAN(userId_id)`. */
const describePlan = (stages: PlanStage[]) => stages.map((s) => (s.indexName ? `${s.stage}(${s.indexName})` : s.stage)).join(' > ');

/**
 * Asserts that the winning plan of `source` (an explain result, or a cursor to explain) scans the
 * index `indexName` and never the whole collection (no COLLSCAN). With `sorted`, the index also
 * gives the order: no blocking SORT stage. Returns the plan's stages.
 */
async function assertUsesIndex(
  source: Document | { explain(verbosity: 'queryPlanner'): Promise<Document> },
  indexName: string,
  options: { sorted?: boolean } = {},
): Promise<PlanStage[]> {
  const explain = typeof source.explain === 'function' ? await source.explain('queryPlanner') : (source as Document);
  const winning = explain.queryPlanner?.winningPlan;
  assert.ok(winning, `explain has no queryPlanner.winningPlan: ${JSON.stringify(explain)}`);
  const stages = planStages(winning);
  const plan = describePlan(stages);
  assert.ok(!stages.some((s) => s.stage === 'COLLSCAN'), `the plan reads the whole collection: ${plan}`);
  assert.ok(
    stages.some((s) => INDEX_SCANS.has(s.stage) && s.indexName === indexName),
    `the plan does not scan index ${indexName}: ${plan}`,
  );
  if (options.sorted) assert.ok(!stages.some((s) => s.stage === 'SORT'), `the plan sorts in memory instead of reading in index order: ${plan}`);
  return stages;
}

export interface QueryExplainer {
  /** The database, with the indexes created; give it to the store under test. */
  db: Db;
  /**
   * Runs `run` (a store's real method), captures the one `command` (`find`, `delete`, ...) it
   * sends to `collection`, and returns the server's explain (queryPlanner) of exactly that command,
   * so a test checks the query the code really runs.
   */
  explain(command: string, collection: string, run: () => Promise<unknown>): Promise<Document>;
  /** `explain`, then `assertUsesIndex` on it; resolves with the plan in one line (`describePlan`). */
  assertUses(indexName: string, command: string, collection: string, run: () => Promise<unknown>, options?: { sorted?: boolean }): Promise<string>;
}

/** A database of its own (see testDatabase) whose client records the commands it sends. */
export async function explainingDatabase(t: Hooks, indexes: Record<string, IndexDescription[]> = {}): Promise<QueryExplainer> {
  const db = await testDatabase(t, indexes, { monitorCommands: true });
  let recording: CommandStartedEvent[] | undefined;
  db.client.on('commandStarted', (event) => recording?.push(event));
  const explainer: QueryExplainer = {
    db,
    async explain(command, collection, run) {
      const sent: CommandStartedEvent[] = [];
      recording = sent;
      try {
        await run();
      } finally {
        recording = undefined;
      }
      const ours = sent.filter((e) => e.databaseName === db.databaseName && e.commandName === command && e.command[command] === collection);
      assert.equal(ours.length, 1, `expected one ${command} on ${collection}, the code sent ${ours.length}`);
      const query = Object.fromEntries(Object.entries(ours[0].command).filter(([key]) => !key.startsWith('$') && !SESSION_FIELDS.has(key)));
      return db.command({ explain: query, verbosity: 'queryPlanner' });
    },
    async assertUses(indexName, command, collection, run, options) {
      return describePlan(await assertUsesIndex(await explainer.explain(command, collection, run), indexName, options));
    },
  };
  return explainer;
}
