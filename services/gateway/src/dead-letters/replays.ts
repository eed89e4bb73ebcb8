import { randomUUID } from 'node:crypto';
import { isDuplicateKey } from '@shop/platform/mongo/connect';
import type { Db } from 'mongodb';
import type { ReplayRecord } from './dead-letter.ts';

interface ReplayDocument {
  /** `<dlq topic>/<partition>/<offset>`: one document per dead letter, so one replay. */
  _id: string;
  status: 'replaying' | 'replayed';
  by: string;
  /** Which claim this is, so a claimant that was taken over cannot drop the newer claim. */
  claim: string;
  claimedAt: Date;
  replayedAt?: Date;
}

export const replaysCollection = (db: Db) => db.collection<ReplayDocument>('dlq_replays');

/** The record of which dead letters were replayed, by whom and when. */
export interface ReplayStore {
  /**
   * Claims the replay of `id` for `by`: a claim token when this caller may publish it now, undefined when it was
   * replayed, or is being replayed by someone else right now; a claim older than `staleMs` (its
   * gateway died between claim and publish) may be taken over.
   */
  claim(id: string, by: string, staleMs: number): Promise<string | undefined>;
  /** The claim became a replay. */
  finish(id: string, claim: string): Promise<void>;
  /** The publish failed: the claim is dropped so it can be tried again. */
  release(id: string, claim: string): Promise<void>;
  find(ids: string[]): Promise<Map<string, ReplayRecord>>;
}

export function createReplayStore(db: Db): ReplayStore {
  const replays = replaysCollection(db);
  const toRecord = (doc: ReplayDocument): ReplayRecord => ({ status: doc.status, by: doc.by, at: (doc.replayedAt ?? doc.claimedAt).toISOString() });
  return {
    async claim(id, by, staleMs) {
      const now = new Date();
      const claim = randomUUID();
      try {
        await replays.insertOne({ _id: id, status: 'replaying', by, claim, claimedAt: now });
        return claim;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
      const takenOver = await replays.updateOne(
        { _id: id, status: 'replaying', claimedAt: { $lt: new Date(now.getTime() - staleMs) } },
        { $set: { by, claim, claimedAt: now } },
      );
      return takenOver.modifiedCount === 1 ? claim : undefined;
    },
    async finish(id, claim) {
      await replays.updateOne({ _id: id, status: 'replaying', claim }, { $set: { status: 'replayed', replayedAt: new Date() } });
    },
    async release(id, claim) {
      await replays.deleteOne({ _id: id, status: 'replaying', claim });
    },
    async find(ids) {
      if (ids.length === 0) return new Map();
      const docs = await replays.find({ _id: { $in: ids } }).toArray();
      return new Map(docs.map((doc) => [doc._id, toRecord(doc)]));
    },
  };
}
