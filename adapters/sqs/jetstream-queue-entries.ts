/**
 * What JetStreamQueueStore needs of a KV bucket beyond jetstream-adapter-bucket.ts: every
 * entry under a key filter as stored at one point in time, fast; deletes that leave no
 * marker behind; and a watch of changes.
 */
import { Bucket, KvWatchInclude } from "@nats-io/kv";
import { retrying } from "../../runtime/nats/jetstream-connection.js";
import { deleteIf, entryOf, mapLimit, type KV, type KvEntry } from "../jetstream-adapter-bucket.js";

const READS_IN_FLIGHT = 64;
/** A pass over the stream that gets nothing for this long gives way to reads per key. */
const PASS_IDLE_MS = 250;

/**
 * The entries under `filter` (a key with wildcards). Which keys exist comes from one stream
 * info (a point in time: a key written later has all its revisions after every one of
 * theirs); their values from one pass over the bucket's stream up to its last message at
 * that time (much faster than a read per key), and a read for each key the pass missed
 * (rewritten meanwhile, so further on in the stream). An entry may be older than the
 * stored one, never missing. The pass stops once it has every key, at that last message, or
 * after PASS_IDLE_MS without a message: the library ends it only when nothing is pending,
 * which is never said while other processes keep writing, or only after its 5 s heartbeat
 * when the messages it counted were removed before it got them.
 */
export function currentEntries(kv: KV, filter: string): Promise<KvEntry[]> {
  const bucket = streamOf(kv);
  return retrying(async () => {
    const info = await bucket.jsm.streams.info(bucket.stream, { subjects_filter: bucket.subjectForKey(filter) });
    const existing = new Set(Object.keys(info.state.subjects ?? {}).map((subject) => subject.slice(bucket.prefixLen)));
    const read = new Map<string, KvEntry>();
    if (existing.size > 0) {
      const pass = await kv.history({ key: filter });
      const next = pass[Symbol.asyncIterator]();
      try {
        while (read.size < existing.size) {
          const got = await within(next.next(), PASS_IDLE_MS);
          if (!got || got.done) break;
          if (existing.has(got.value.key)) read.set(got.value.key, got.value);
          if (got.value.revision >= info.state.last_seq) break;
        }
      } finally {
        pass.stop();
      }
    }
    const missed = await mapLimit([...existing].filter((key) => !read.has(key)), READS_IN_FLIGHT, (key) => entryOf(kv, key));
    return [...read.values(), ...missed.filter((e): e is KvEntry => e !== undefined)];
  });
}

/**
 * Deletes `key` only if its last revision is still `revision` (false when another write came
 * first), then removes the delete marker KV leaves, so that later reads do not go through
 * one per key ever deleted. Only for keys nothing writes again once deleted.
 */
export async function removeIf(kv: KV, key: string, revision: number): Promise<boolean> {
  if (!(await deleteIf(kv, key, revision))) return false;
  const bucket = streamOf(kv);
  await retrying(() => bucket.jsm.streams.purge(bucket.stream, { filter: bucket.subjectForKey(key), keep: 0 }));
  return true;
}

/**
 * Calls `changed` with each entry written under `filter` from now on, until the returned
 * function stops it or the watch fails; `ended` is called then.
 */
export async function watchChanges(kv: KV, filter: string, changed: (entry: KvEntry) => void, ended: () => void): Promise<() => void> {
  const updates = await kv.watch({ key: filter, include: KvWatchInclude.UpdatesOnly });
  void (async () => {
    try {
      for await (const entry of updates) changed(entry);
    } catch {
      // The caller watches again when it needs to.
    } finally {
      ended();
    }
  })();
  return () => updates.stop();
}

function streamOf(kv: KV): Bucket {
  if (!(kv instanceof Bucket)) throw new Error("the JetStream KV bucket has no stream to read");
  return kv;
}

/** `p`, or undefined if it takes longer than `ms`. */
async function within<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([p, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
