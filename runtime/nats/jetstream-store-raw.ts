/**
 * Raw record writes for the JetStream store (`RawRecordWriter`): one record's bytes
 * replaced or deleted, the record named as a StoreCorruptionError names it. For
 * corruption tests and repair tools only; nothing checks what is written.
 */
import type { DocumentKind, StoreRecordKind } from "../ports/execution-store.js";
import { replacePart } from "./jetstream-store-entry.js";
import { storeKeys } from "./jetstream-store-keys.js";
import { liveEntry, put, remove, type KV, type StoreBuckets } from "./jetstream-store-kv.js";

export async function writeRawRecord(buckets: StoreBuckets, kind: StoreRecordKind, key: string, bytes: Uint8Array | undefined): Promise<void> {
  const { kv } = buckets;
  const write = (bucket: KV, k: string): Promise<unknown> => (bytes ? put(bucket, k, bytes) : remove(bucket, k));
  const split = (at: number): [string, string] => [key.slice(0, at), key.slice(at + 1)];
  switch (kind) {
    case "meta":
      return void (await write(kv.executions, storeKeys.meta()));
    case "execution":
    case "state": {
      // Both live inside the execution's entry: replace that part, keep the rest.
      const stored = await liveEntry(kv.executions, storeKeys.execution(key));
      if (!stored) throw new TypeError(`no execution ${key} to overwrite`);
      return void (await put(kv.executions, storeKeys.execution(key), replacePart(stored.value, key, kind === "execution" ? "x" : "s", bytes)));
    }
    case "history": {
      const [arn, id] = split(key.lastIndexOf("#"));
      return void (await write(kv.history, storeKeys.event(arn, Number(id))));
    }
    case "timer":
      return void (await write(kv.timers, storeKeys.timer(key)));
    case "document": {
      const [docKind, docKey] = split(key.indexOf("/"));
      return void (await write(kv.documents, storeKeys.document(docKind as DocumentKind, docKey)));
    }
    case "index":
      // `key` is the index entry's KV key (jetstream-store-keys.ts).
      return void (await write(kv.index, key));
  }
}
