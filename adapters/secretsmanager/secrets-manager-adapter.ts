/**
 * The Secrets Manager-like adapter: Task states with
 * `arn:aws:states:::aws-sdk:secretsmanager:<action>` (and its `.waitForTaskToken` form: the
 * request runs, then the Task waits for its token) for the actions below, with the API's
 * request members (PascalCase) as Parameters/Arguments, results as the AWS SDK integration
 * returns them (PascalCase, dates in ISO 8601) and errors as Step Functions names them
 * (`SecretsManager.ResourceNotFoundException`).
 * https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html
 */
import { randomUUID } from "node:crypto";
import type { SecretConfig } from "../../runtime/config/project-config.js";
import { DEFAULT_ACCOUNT, type Account } from "../../runtime/engine/arns.js";
import { TaskError, type Adapter, type AdapterTask } from "../../runtime/ports/adapter.js";
import type { ResourceInfo } from "../../translators/dataflow/resource.js";
import { isObject, type Json, type JsonObject } from "../../translators/json.js";
import { deleteSecret, describeSecret, listSecrets } from "./operations/admin.js";
import { findSecret, ParameterError, type SecretsContext, type SecretsOperation } from "./operations/request.js";
import { sdkActionOf } from "../aws-sdk-members.js";
import { createSecret, getSecretValue, putSecretValue, updateSecret } from "./operations/values.js";
import { secretArn } from "./secret-arn.js";
import { MemorySecretStore } from "./memory-secret-store.js";
import { SecretChangedError, type SecretStore } from "./secret-store.js";
import { SecretsManagerError, secretsManagerTaskError } from "./secrets-manager-error.js";

/** Step Functions' action names (the SDK's, camelCase) → what runs them. */
const OPERATIONS = {
  createSecret,
  getSecretValue,
  putSecretValue,
  describeSecret,
  listSecrets,
  deleteSecret,
  updateSecret,
} satisfies Record<string, SecretsOperation>;

type SecretsAction = keyof typeof OPERATIONS;

/** Tries of one operation while other processes keep changing its secret. */
const MAX_ATTEMPTS = 20;

const actionOf = (resource: ResourceInfo): SecretsAction | undefined => sdkActionOf(resource, "secretsmanager", OPERATIONS);

export interface SecretsManagerAdapterOptions {
  /** Where the secrets live; in memory when absent. */
  readonly store?: SecretStore;
  /** Secrets that exist from the start: the config's `secrets` (one the store has already is left as it is). */
  readonly secrets?: Readonly<Record<string, SecretConfig>>;
  /** Epoch milliseconds; the engine's clock (virtual time included). Date.now otherwise. */
  readonly now?: () => number;
  /** The partition, region and account in secret ARNs. */
  readonly account?: Account;
}

export class SecretsManagerAdapter implements Adapter {
  readonly name = "secretsmanager";
  readonly resources = Object.keys(OPERATIONS).map((a) => `arn:aws:states:::aws-sdk:secretsmanager:${a}`);
  readonly store: SecretStore;
  private readonly context: SecretsContext;
  /** Settles once the config's secrets are in the store; tasks wait for it. */
  private readonly ready: Promise<void>;

  constructor(options: SecretsManagerAdapterOptions = {}) {
    const now = options.now ?? (() => Date.now());
    const account = options.account ?? DEFAULT_ACCOUNT;
    this.store = options.store ?? new MemorySecretStore();
    this.context = { secrets: this.store, now, arnOf: (name) => secretArn(account, name), versionId: () => randomUUID() };
    this.ready = this.declareAll(options.secrets ?? {});
    // A failure shows in every task (they await it), not as an unhandled rejection.
    this.ready.catch(() => undefined);
  }

  handles(resource: ResourceInfo): boolean {
    return actionOf(resource) !== undefined;
  }

  async run(task: AdapterTask): Promise<Json> {
    const action = actionOf(task.resource);
    if (!action) throw new TaskError("States.Runtime", `The Secrets Manager adapter does not run resource '${task.resource.arn}'`);
    await this.ready;
    try {
      return await this.attempt(action, isObject(task.payload) ? task.payload : {});
    } catch (e) {
      if (e instanceof SecretsManagerError) throw secretsManagerTaskError(e);
      if (e instanceof ParameterError) throw new TaskError("States.TaskFailed", e.message);
      throw e;
    }
  }

  async close(): Promise<void> {
    // Seeding may still be writing: let it land (or fail) before the store closes.
    await this.ready.catch(() => undefined);
    await this.store.close?.();
  }

  /**
   * Runs an operation; again, from a fresh read, while another process changes the secret it
   * changes (a shared store refuses the stale copy), as Secrets Manager serializes requests.
   */
  private async attempt(action: SecretsAction, request: JsonObject): Promise<Json> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await OPERATIONS[action](request, this.context);
      } catch (e) {
        if (!(e instanceof SecretChangedError) || attempt >= MAX_ATTEMPTS) throw e;
      }
    }
  }

  /**
   * The config's secrets, each created as CreateSecret would create it unless the store has a
   * secret of that name (a durable store, from an earlier run, or another process of a
   * distributed installation: its values and versions stay).
   */
  private async declareAll(secrets: Readonly<Record<string, SecretConfig>>): Promise<void> {
    for (const [name, entry] of Object.entries(secrets)) {
      if (await findSecret(this.context, name)) continue;
      const { value, description } = typeof entry === "string" ? { value: entry, description: undefined } : entry;
      try {
        await createSecret({ Name: name, SecretString: value, ...(description !== undefined ? { Description: description } : {}) }, this.context);
      } catch (e) {
        // Another process created it first.
        if (!(e instanceof SecretsManagerError && e.code === "ResourceExistsException")) throw e;
      }
    }
  }
}
