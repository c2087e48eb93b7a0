/**
 * The JetStream store's gateway to `@nats-io/kv`: opening its buckets, and KV calls that
 * ride out a server restart. Plain puts and deletes are idempotent, so they are retried
 * while the server is away; compare-and-set writes are not (the caller decides).
 */
import { JetStreamApiCodes, JetStreamApiError, StorageType, type JetStreamManager } from "@nats-io/jetstream";
import { Kvm, type KV, type KvEntry } from "@nats-io/kv";
import type { JetStreamLink } from "./jetstream-connection.js";
import { retrying } from "./jetstream-connection.js";
import { BUCKETS, bucketName, type BucketRole } from "./jetstream-store-keys.js";

export type { KV, KvEntry };

export const EMPTY = new Uint8Array(0);

/** The store's buckets, and what purging needs (the streams behind them). */
export interface StoreBuckets {
  readonly kv: Readonly<Record<BucketRole, KV>>;
  readonly names: Readonly<Record<BucketRole, string>>;
  readonly jsm: JetStreamManager;
}

/** Opens the store's buckets, creating the missing ones: one value per key, file storage. */
export async function openBuckets(link: JetStreamLink, prefix: string, replicas: number): Promise<StoreBuckets> {
  if (!/^[-\w]+$/.test(prefix)) throw new TypeError(`store prefix ${JSON.stringify(prefix)} may hold only letters, digits, '-' and '_'`);
  const kvm = new Kvm(link.js);
  // Direct gets may be answered by a lagging replica: only a single-replica bucket uses them.
  const options = { history: 1, storage: StorageType.File, replicas, allow_direct: replicas === 1 };
  const names = Object.fromEntries(BUCKETS.map((role) => [role, bucketName(prefix, role)])) as Record<BucketRole, string>;
  const opened = await Promise.all(BUCKETS.map((role) => retrying(() => kvm.create(names[role], options))));
  const kv = Object.fromEntries(BUCKETS.map((role, i) => [role, opened[i] as KV])) as Record<BucketRole, KV>;
  return { kv, names, jsm: link.jsm };
}

/** The entry under `key`, or undefined when it is absent or deleted. */
export async function liveEntry(kv: KV, key: string): Promise<KvEntry | undefined> {
  const entry = await retrying(() => kv.get(key));
  return entry && entry.operation === "PUT" ? entry : undefined;
}

export function put(kv: KV, key: string, value: Uint8Array): Promise<number> {
  return retrying(() => kv.put(key, value));
}

export function remove(kv: KV, key: string): Promise<void> {
  return retrying(() => kv.delete(key));
}

/** True for a compare-and-set write that found another revision stored. */
export function isWrongSequence(error: unknown): boolean {
  return (
    error instanceof JetStreamApiError &&
    (error.code === JetStreamApiCodes.StreamWrongLastSequence || error.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown)
  );
}

/** Deletes `key` only while its KV revision is `revision`; false when it was not. */
export async function removeIf(kv: KV, key: string, revision: number): Promise<boolean> {
  try {
    await kv.delete(key, { previousSeq: revision });
    return true;
  } catch (error) {
    if (isWrongSequence(error)) return false;
    throw error;
  }
}

/** Every key matching `filter`, in no particular order. */
export function listKeys(kv: KV, filter: string): Promise<string[]> {
  return retrying(async () => {
    const keys: string[] = [];
    for await (const key of await kv.keys(filter)) keys.push(key);
    return keys;
  });
}

/**
 * Removes every message of the keys matching `filter` from the bucket's stream. Unlike a
 * KV delete it leaves no delete marker behind, so removed executions free their space.
 */
export async function purgeKeys(buckets: StoreBuckets, role: BucketRole, filter: string): Promise<void> {
  const name = buckets.names[role];
  await retrying(() => buckets.jsm.streams.purge(`KV_${name}`, { filter: `$KV.${name}.${filter}` }));
}

/** `fn` over `items` with at most `limit` calls in flight, results in order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Checks `candidates` in order, a batch at a time, until `limit + 1` pass: the page, and
 * whether an item follows it (then the page gets a cursor). Listings come from index
 * entries that may be stale, so each is confirmed against what it points to.
 */
export async function confirmPage<T, R>(candidates: readonly T[], limit: number, check: (candidate: T) => Promise<R | undefined>): Promise<{ items: R[]; more: boolean }> {
  const found: R[] = [];
  for (let at = 0; at < candidates.length && found.length <= limit; at += CHECKS_IN_FLIGHT) {
    const checked = await mapLimit(candidates.slice(at, at + CHECKS_IN_FLIGHT), CHECKS_IN_FLIGHT, check);
    for (const r of checked) if (r !== undefined) found.push(r);
  }
  return { items: found.slice(0, limit), more: found.length > limit };
}

const CHECKS_IN_FLIGHT = 64;
