/**
 * Secrets Manager-like secrets: the `aws-sdk:secretsmanager:*` adapter and
 * `createSecretsManagerAdapter(config, deps)` for the composition root.
 */
import type { ProjectConfig } from "../../runtime/config/project-config.js";
import type { Account } from "../../runtime/engine/arns.js";
import type { Clock } from "../../runtime/ports/clock.js";
import { SecretsManagerAdapter } from "./secrets-manager-adapter.js";

export { SecretsManagerAdapter, type SecretsManagerAdapterOptions } from "./secrets-manager-adapter.js";
export { SecretsManagerError } from "./secrets-manager-error.js";

/** What the Secrets Manager factory uses of the composition root's AdapterDeps. */
export interface SecretsManagerAdapterDeps {
  /** Its clock dates secrets (virtual time included); its account goes into their ARNs. */
  readonly engine?: { readonly clock: Clock; readonly account: Account };
}

/**
 * The Secrets Manager adapter for a project: the config's `secrets` and those Tasks create.
 * Undefined when the config has no `secrets` section; `secrets: {}` runs one with no secrets yet.
 */
export function createSecretsManagerAdapter(config: ProjectConfig, deps: SecretsManagerAdapterDeps = {}): SecretsManagerAdapter | undefined {
  if (config.secrets === undefined) return undefined;
  const clock = deps.engine?.clock;
  return new SecretsManagerAdapter({
    secrets: config.secrets,
    ...(clock ? { now: () => clock.now() } : {}),
    ...(deps.engine ? { account: deps.engine.account } : {}),
  });
}
