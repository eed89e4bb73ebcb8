/**
 * Every document of every collection of the given databases, to tell whether a request wrote
 * anything: documents are kept whole (the test databases are small), keyed by collection and `_id`.
 */
export type Snapshot = Map<string, Map<string, string>>;

export interface Change {
  collection: string;
  id: string;
  kind: 'inserted' | 'deleted' | 'changed';
  before?: string;
  after?: string;
}

/** The part of a MongoDB client the snapshot needs (the driver's `MongoClient` fits). */
export interface DatabaseClient {
  db(name: string): {
    listCollections(filter: object, options: { nameOnly: true }): { toArray(): Promise<{ name: string }[]> };
    collection(name: string): { find(filter: object): { sort(sort: object): { toArray(): Promise<object[]> } } };
  };
}

/**
 * Collections whose writes are the point of a refused request: the login/register throttle counts
 * every attempt, refused ones included (that is what makes guessing slow).
 */
const countersOfAttempts = new Set(['rate_limits']);

export async function takeSnapshot(client: DatabaseClient, databases: string[]): Promise<Snapshot> {
  const snapshot: Snapshot = new Map();
  await Promise.all(
    databases.map(async (name) => {
      const db = client.db(name);
      const collections = (await db.listCollections({}, { nameOnly: true }).toArray()).filter(({ name }) => !countersOfAttempts.has(name));
      await Promise.all(
        collections.map(async ({ name: collection }) => {
          const documents = await db.collection(collection).find({}).sort({ _id: 1 }).toArray();
          const byId = new Map<string, string>();
          for (const doc of documents) byId.set(JSON.stringify((doc as { _id?: unknown })._id), JSON.stringify(doc));
          snapshot.set(`${name}.${collection}`, byId);
        }),
      );
    }),
  );
  return snapshot;
}

/**
 * What changed from `before` to `after`, keeping only changes `relevant` accepts (given the
 * document's JSON before or after). The test uses it to leave out documents that neither name
 * anything of its own run nor were touched by it: writes of other test files' events that this
 * system's consumers picked up from the shared Kafka.
 */
export function changes(before: Snapshot, after: Snapshot, relevant: (json: string) => boolean = () => true): Change[] {
  const found: Change[] = [];
  for (const collection of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(collection) ?? new Map<string, string>();
    const b = after.get(collection) ?? new Map<string, string>();
    for (const [id, doc] of b) {
      const old = a.get(id);
      if (old === undefined) {
        if (relevant(doc)) found.push({ collection, id, kind: 'inserted', after: doc });
      } else if (old !== doc && (relevant(old) || relevant(doc))) {
        found.push({ collection, id, kind: 'changed', before: old, after: doc });
      }
    }
    for (const [id, doc] of a) if (!b.has(id) && relevant(doc)) found.push({ collection, id, kind: 'deleted', before: doc });
  }
  return found;
}

export function describeChanges(list: Change[], max = 5): string {
  const cut = (text?: string) => (text && text.length > 300 ? `${text.slice(0, 300)}…` : text);
  const lines = list
    .slice(0, max)
    .map((c) => `${c.kind} ${c.collection} ${c.id}${c.before ? `\n      before ${cut(c.before)}` : ''}${c.after ? `\n      after  ${cut(c.after)}` : ''}`);
  if (list.length > max) lines.push(`… and ${list.length - max} more`);
  return lines.join('\n    ');
}
