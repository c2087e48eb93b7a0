/** What every API action gets: the engine and the registries beside it. */
import type { Logger } from "pino";
import type { Engine } from "../engine/engine.js";
import type { Account } from "../engine/arns.js";
import type { ActivityRegistry } from "../control/activity-registry.js";
import type { StateMachineRegistry } from "../control/state-machine-registry.js";
import type { TagRegistry } from "../control/tag-registry.js";
import type { ExecutionDirectory } from "./execution-directory.js";
import type { Body } from "./fields.js";

export interface ApiContext {
  readonly engine: Engine;
  readonly account: Account;
  readonly stateMachines: StateMachineRegistry;
  readonly activities: ActivityRegistry;
  readonly tags: TagRegistry;
  /** Executions in the engine's memory, then in the store. */
  readonly executions: ExecutionDirectory;
  readonly log: Logger;
  /** A shared store (distributed mode): reads the registries again, for what other nodes created. */
  readonly refreshRegistries?: () => Promise<void>;
}

export interface RequestInfo {
  /** Aborted when the client goes away (GetActivityTask stops its long poll). */
  readonly signal: AbortSignal;
  readonly log: Logger;
}

/** One API action: a parsed JSON body in, a JSON-serializable body out, or an ApiError thrown. */
export type Action = (body: Body, ctx: ApiContext, request: RequestInfo) => unknown;

export type ActionTable = Readonly<Record<string, Action>>;

/** Times go over the wire as epoch seconds (with milliseconds as the fraction). */
export const epochSeconds = (ms: number): number => ms / 1000;
