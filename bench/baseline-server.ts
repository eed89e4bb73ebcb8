/**
 * The same-run baselines: a bare Fastify server on the same fastify and mongodb packages as the
 * services, against the same MongoDB-wire server, with exactly one database call per request.
 *   GET  /find/:id  → one findOne by _id   (the ceiling of a read on this stack)
 *   POST /insert    → one insertOne        (the floor cost of a write)
 *   GET  /find-live/:id → one findOne with product-service's filter, {_id, deletedAt: {$exists: false}}
 *                    (not a baseline: it shows what that filter costs against the plain {_id} lookup)
 * No validation, auth, logging or outbox: what is left is HTTP + JSON + one round trip to the database.
 * Env: MONGO_URI, MONGO_DB, PORT. Run as its own process by bench/run.ts.
 */
import Fastify from 'fastify';
import { MongoClient, ObjectId } from 'mongodb';

const mongo = new MongoClient(process.env.MONGO_URI ?? 'mongodb://127.0.0.1:27017');
await mongo.connect();
const db = mongo.db(process.env.MONGO_DB ?? 'bench_baseline');
const reads = db.collection('products');
const writes = db.collection('writes');

const app = Fastify({ logger: false });
app.get('/health', async () => ({ ok: true }));
app.get<{ Params: { id: string } }>('/find/:id', async (request, reply) => {
  const doc = await reads.findOne({ _id: new ObjectId(request.params.id) });
  if (!doc) return reply.code(404).send({ status: 404 });
  const { _id, ...rest } = doc;
  return { id: _id.toHexString(), ...rest };
});
app.get<{ Params: { id: string } }>('/find-live/:id', async (request, reply) => {
  const doc = await reads.findOne({ _id: new ObjectId(request.params.id), deletedAt: { $exists: false } });
  if (!doc) return reply.code(404).send({ status: 404 });
  const { _id, ...rest } = doc;
  return { id: _id.toHexString(), ...rest };
});
app.post<{ Body: Record<string, unknown> }>('/insert', async (request, reply) => {
  const { insertedId } = await writes.insertOne({ ...request.body, createdAt: new Date() });
  return reply.code(201).send({ id: insertedId.toHexString() });
});

await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
const stop = async () => {
  await app.close();
  await mongo.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
