/**
 * SQS-like queues: the `sqs:sendMessage` adapter, the QueueStore port and its in-memory,
 * durable (LMDB), shared (JetStream KV) and forwarding (AWS SDK) implementations, a consumer API for workers and
 * `aslan queue`.
 */
import { join } from "node:path";
import type { Logger } from "pino";
import type { ProjectConfig } from "../../runtime/config/project-config.js";
import type { Account } from "../../runtime/engine/arns.js";
import type { Adapter } from "../../runtime/ports/adapter.js";
import { JetStreamQueueStore } from "./jetstream-queue-store.js";
import { LmdbQueueStore } from "./lmdb-queue-store.js";
import { MemoryQueueStore } from "./memory-queue-store.js";
import type { QueueStore } from "./queue-store.js";
import { SdkQueueStore } from "./sdk-queue-store.js";
import { SqsAdapter } from "./sqs-adapter.js";

export { SqsAdapter, type SqsAdapterOptions } from "./sqs-adapter.js";
export { MemoryQueueStore, type MemoryQueueStoreOptions } from "./memory-queue-store.js";
export { LmdbQueueStore, type LmdbQueueStoreOptions } from "./lmdb-queue-store.js";
export { JetStreamQueueStore, type JetStreamQueueStoreOptions } from "./jetstream-queue-store.js";
export { SdkQueueStore } from "./sdk-queue-store.js";
export * from "./queue-store.js";
export { consumeQueue, queueConsumer, type ConsumeOptions, type QueueConsumer } from "./consumer.js";
export { runQueueCommand, QUEUE_USAGE, type QueueCommandIo } from "./queue-command.js";
export { queueNameOf, queueUrl, queueArn } from "./queue-url.js";
export { sqsApiListener, handleSqsAction, isSqsRequest, type SqsApiOptions } from "./sqs-api.js";

/** What the SQS factory uses of the composition root's AdapterDeps. */
export interface SqsAdapterDeps {
  /** Its account gives queue ARNs their region and account. */
  readonly engine?: { readonly account: Account };
  readonly log?: Logger;
  /** The adapters' data directory (AdapterHost.dataDir): queues are kept in `<dataDir>/sqs` and outlive the process. */
  readonly dataDir?: string;
  /** Distributed mode (AdapterHost.natsServers): queues are kept in JetStream KV (bucket `aslan_sqs`), shared by every process. Takes precedence over `dataDir`. */
  readonly natsServers?: string;
}

/** The adapter's name, which is also its directory under the data directory. */
const SQS_ADAPTER_NAME = "sqs";

/**
 * The SQS adapter for a project: the config's `queues` (shared in JetStream KV under
 * `natsServers`, durable under a data directory, or in memory), or every send forwarded to
 * `forward.sqs` (a real SQS or an SQS-compatible endpoint). Undefined when the config has neither.
 */
export function createSqsAdapter(config: ProjectConfig, deps: SqsAdapterDeps = {}): SqsAdapter | undefined {
  const forward = config.forward?.sqs;
  if (forward) return new SqsAdapter({ queues: new SdkQueueStore(forward) });
  if (!config.queues || Object.keys(config.queues).length === 0) return undefined;
  const account = deps.engine?.account;
  const options = { queues: config.queues, ...(account ? { region: account.region, accountId: account.accountId } : {}) };
  return new SqsAdapter({ queues: queueStoreFor(options, deps), ...(account ? { accountId: account.accountId } : {}) });
}

/** Where the config's queues live: shared in JetStream KV, durable in LMDB, or in this process's memory. */
function queueStoreFor(options: { queues: NonNullable<ProjectConfig["queues"]>; region?: string; accountId?: string }, deps: SqsAdapterDeps): QueueStore {
  if (deps.natsServers !== undefined) return new JetStreamQueueStore({ ...options, servers: deps.natsServers });
  if (deps.dataDir !== undefined) return LmdbQueueStore.open({ ...options, path: join(deps.dataDir, SQS_ADAPTER_NAME) });
  return new MemoryQueueStore(options);
}

/** The queues an SQS adapter sends to (for SNS subscriptions, workers and `aslan queue`). */
export const queueStoreOf = (adapter: Adapter | undefined): QueueStore | undefined =>
  adapter instanceof SqsAdapter ? adapter.queues : undefined;
