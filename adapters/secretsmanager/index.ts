/**
 * Secrets Manager-like secrets: the `aws-sdk:secretsmanager:*` adapter, the SecretStore port
 * with its in-memory, LMDB and JetStream KV implementations, and `createSecretsManagerAdapter(config, deps)`
 * for the composition root.
 */
import { join } from "node:path";
import type { ProjectConfig } from "../../runtime/config/project-config.js";
import type { Account } from "../../runtime/engine/arns.js";
import type { Clock } from "../../runtime/ports/clock.js";
import { JetStreamSecretStore } from "./jetstream-secret-store.js";
import { LmdbSecretStore } from "./lmdb-secret-store.js";
import type { SecretStore } from "./secret-store.js";
import { SecretsManagerAdapter } from "./secrets-manager-adapter.js";

export { SecretsManagerAdapter, type SecretsManagerAdapterOptions } from "./secrets-manager-adapter.js";
export { SecretsManagerError } from "./secrets-manager-error.js";
export { MemorySecretStore } from "./memory-secret-store.js";
export { LmdbSecretStore, type LmdbSecretStoreOptions } from "./lmdb-secret-store.js";
export { JetStreamSecretStore, type JetStreamSecretStoreOptions } from "./jetstream-secret-store.js";
export { SecretChangedError } from "./secret-store.js";
export type { SecretStore, Secret, SecretVersion, SecretValue, Tag } from "./secret-store.js";

/** What the Secrets Manager factory uses of the composition root's AdapterDeps. */
export interface SecretsManagerAdapterDeps {
  /** Its clock dates secrets (virtual time included); its account goes into their ARNs. */
  readonly engine?: { readonly clock: Clock; readonly account: Account };
  /** The adapters' data directory (AdapterHost.dataDir): secrets are kept in `<dataDir>/secretsmanager` and outlive the process. */
  readonly dataDir?: string;
  /** Distributed mode (AdapterHost.natsServers): secrets are kept in JetStream KV (bucket `aslan_secrets`), shared by every process. */
  readonly natsServers?: string;
}

/** The adapter's name, which is also its directory under the data directory. */
const SECRETS_ADAPTER_NAME = "secretsmanager";

/**
 * The Secrets Manager adapter for a project: the config's `secrets` and those Tasks create.
 * Undefined when the config has no `secrets` section; `secrets: {}` runs one with no secrets yet.
 * With a data directory, or on JetStream, the secrets are durable, and a config secret the
 * store has already keeps its values and versions.
 */
export function createSecretsManagerAdapter(config: ProjectConfig, deps: SecretsManagerAdapterDeps = {}): SecretsManagerAdapter | undefined {
  if (config.secrets === undefined) return undefined;
  const clock = deps.engine?.clock;
  return new SecretsManagerAdapter({
    ...storeFor(deps),
    secrets: config.secrets,
    ...(clock ? { now: () => clock.now() } : {}),
    ...(deps.engine ? { account: deps.engine.account } : {}),
  });
}

/** In JetStream KV, in LMDB under the data directory, or (none given) in memory. */
function storeFor(deps: SecretsManagerAdapterDeps): { store?: SecretStore } {
  if (deps.natsServers !== undefined) return { store: new JetStreamSecretStore({ servers: deps.natsServers }) };
  if (deps.dataDir !== undefined) return { store: LmdbSecretStore.open({ path: join(deps.dataDir, SECRETS_ADAPTER_NAME) }) };
  return {};
}
