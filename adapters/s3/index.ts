/**
 * S3-like buckets: the `aws-sdk:s3:*` adapter, the ObjectStore port with its in-memory, LMDB
 * and JetStream KV implementations, and `createS3Adapter(config, deps)` for the composition root.
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import type { ProjectConfig } from "../../runtime/config/project-config.js";
import type { Account } from "../../runtime/engine/arns.js";
import type { Clock } from "../../runtime/ports/clock.js";
import { JetStreamObjectStore } from "./jetstream-object-store.js";
import { LmdbObjectStore } from "./lmdb-object-store.js";
import { MemoryObjectStore } from "./memory-object-store.js";
import type { ObjectStore } from "./object-store.js";
import { S3Adapter } from "./s3-adapter.js";

export { S3Adapter, type S3AdapterOptions } from "./s3-adapter.js";
export { MemoryObjectStore } from "./memory-object-store.js";
export { LmdbObjectStore, type LmdbObjectStoreOptions } from "./lmdb-object-store.js";
export { JetStreamObjectStore, type JetStreamObjectStoreOptions } from "./jetstream-object-store.js";
export { S3Error } from "./s3-error.js";
export type { ObjectStore, BucketInfo, StoredObject, ListOptions, ObjectHeaders } from "./object-store.js";

/** What the S3 factory uses of the composition root's AdapterDeps. */
export interface S3AdapterDeps {
  /** Its clock dates buckets and objects (virtual time included); its account gives the region and owner. */
  readonly engine?: { readonly clock: Clock; readonly account: Account };
  /** Where the buckets live; otherwise in JetStream KV (`natsServers`), in LMDB under `dataDir`, or in memory. */
  readonly objectStore?: ObjectStore;
  /** The adapters' data directory (AdapterHost.dataDir): buckets are kept in `<dataDir>/s3` and outlive the process. */
  readonly dataDir?: string;
  /** Distributed mode (AdapterHost.natsServers): buckets are kept in JetStream KV (bucket `aslan_s3`), shared by every process. */
  readonly natsServers?: string;
}

/** The adapter's name, which is also its directory under the data directory. */
const S3_ADAPTER_NAME = "s3";

/**
 * The S3 adapter for a project: the config's `buckets` (with their `objects`) and the ones
 * Tasks create. Undefined when the config has no `buckets` section; `buckets: {}` runs an S3
 * with no buckets yet. With a data directory, or on JetStream, the buckets are durable, and a
 * config bucket the store has already keeps what Tasks wrote to it.
 */
export function createS3Adapter(config: ProjectConfig, deps: S3AdapterDeps = {}): S3Adapter | undefined {
  if (config.buckets === undefined && !deps.objectStore) return undefined;
  const clock = deps.engine?.clock;
  const account = deps.engine?.account;
  return new S3Adapter({
    store: deps.objectStore ?? objectStoreFor(deps),
    buckets: config.buckets ?? {},
    ...(clock ? { now: () => clock.now() } : {}),
    ...(account ? { region: account.region, ownerId: canonicalUserId(account.accountId) } : {}),
  });
}

function objectStoreFor(deps: S3AdapterDeps): ObjectStore {
  if (deps.natsServers !== undefined) return new JetStreamObjectStore({ servers: deps.natsServers });
  if (deps.dataDir !== undefined) return LmdbObjectStore.open({ path: join(deps.dataDir, S3_ADAPTER_NAME) });
  return new MemoryObjectStore();
}

/** A stable 64-hex-digit canonical user id for an account (S3's Owner.ID). */
const canonicalUserId = (accountId: string): string => createHash("sha256").update(`aslan:${accountId}`).digest("hex");
