/**
 * The DynamoDB-like adapter's public face: `createDynamoDbAdapter(config, deps)` for the
 * composition root, the TableStore port and its implementations (in memory, on LMDB, and on
 * JetStream KV).
 */
import { join } from "node:path";
import type { ProjectConfig } from "../../runtime/config/project-config.js";
import type { Adapter } from "../../runtime/ports/adapter.js";
import type { Clock } from "../../runtime/ports/clock.js";
import { DynamoDbAdapter } from "./dynamodb-adapter.js";
import { ForwardDynamoDb } from "./forward-dynamodb.js";
import { JetStreamTableStore } from "./jetstream-table-store.js";
import { LocalDynamoDb } from "./local-dynamodb.js";
import { LmdbTableStore } from "./lmdb-table-store.js";
import { MemoryTableStore } from "./memory-table-store.js";
import type { TableSchema, TableStore } from "./table-store.js";

export { DynamoDbAdapter } from "./dynamodb-adapter.js";
export { LocalDynamoDb } from "./local-dynamodb.js";
export { ForwardDynamoDb } from "./forward-dynamodb.js";
export { MemoryTableStore } from "./memory-table-store.js";
export { LmdbTableStore, type LmdbTableStoreOptions } from "./lmdb-table-store.js";
export { JetStreamTableStore, type JetStreamTableStoreOptions } from "./jetstream-table-store.js";
export { DynamoDbError } from "./dynamodb-error.js";
export type { DynamoDbAction, DynamoDbBackend, DynamoDbReply } from "./dynamodb-backend.js";
export type { TableStore, TableSchema, KeySchema, SortKeyRange, KeyBound, QueryRangeOptions, ScanOptions, WriteDecision } from "./table-store.js";
export type { AttributeValue, Item } from "./attribute-value.js";

/** What the adapter uses of `AdapterDeps` (adapters/factory.ts), plus an optional store. */
export interface DynamoDbAdapterDeps {
  /** Its clock dates local answers (the `Date` header), virtual time included. */
  readonly engine?: { readonly clock: Clock };
  /** Where adapters keep data durably (AdapterHost.dataDir): the tables go to `<dataDir>/dynamodb`. */
  readonly dataDir?: string;
  /** Distributed mode (AdapterHost.natsServers): the tables live in JetStream KV, shared by every process. */
  readonly natsServers?: string;
  /** Where the config's tables keep their items, instead of the store `natsServers`, `dataDir` or memory gives. It must hold the config's `tables`. */
  readonly tableStore?: TableStore;
}

/**
 * The DynamoDB adapter for a project: forwards to `forward.dynamodb` when configured, else
 * runs on the config's `tables`, kept in JetStream KV (bucket `aslan_dynamodb`) in
 * distributed mode, in `<dataDir>/dynamodb` (LMDB) when there is a data directory and in
 * memory otherwise. Undefined when the config has neither; `tables: {}` runs a DynamoDB with
 * no tables, where every request fails with ResourceNotFoundException as on AWS. Throws when
 * the stored tables' keys no longer match the config (LmdbTableStore.open); on JetStream,
 * where the first operation finds that out, every operation fails with that error.
 */
export function createDynamoDbAdapter(config: ProjectConfig, deps: DynamoDbAdapterDeps = {}): Adapter | undefined {
  const forward = config.forward?.dynamodb;
  if (forward) return new DynamoDbAdapter(new ForwardDynamoDb(forward));
  if (config.tables === undefined && !deps.tableStore) return undefined;
  const tables = config.tables ?? {};
  const store = deps.tableStore ?? tableStoreFor(tables, deps);
  return new DynamoDbAdapter(new LocalDynamoDb(store, deps.engine?.clock));
}

function tableStoreFor(tables: Readonly<Record<string, TableSchema>>, deps: DynamoDbAdapterDeps): TableStore {
  if (deps.natsServers !== undefined) return new JetStreamTableStore({ servers: deps.natsServers, tables });
  if (deps.dataDir !== undefined) return LmdbTableStore.open({ path: join(deps.dataDir, "dynamodb"), tables });
  return new MemoryTableStore(tables);
}
