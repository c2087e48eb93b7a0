/**
 * The state machines the API knows: their definitions, published versions and aliases.
 * A port, so the durable store (#4) and JetStream (#6) can hold them too.
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-cd-aliasing-versioning.html
 */
import type { StateMachineRecord, StateMachineType } from "../engine/engine.js";

export interface StateMachineEntry {
  readonly arn: string;
  readonly name: string;
  readonly type: StateMachineType;
  /** The definition exactly as the client sent it (DescribeStateMachine returns this text). */
  readonly definition: string;
  readonly roleArn: string;
  readonly creationDate: number;
  /** Set once UpdateStateMachine has changed something. */
  readonly updateDate?: number;
  /**
   * A new UUID with every update that changes something. AWS gives a new state machine
   * none (`INITIAL` in PublishStateMachineVersion's check) and DescribeStateMachine then
   * leaves the field out.
   */
  readonly revisionId?: string;
  readonly description?: string;
  readonly loggingConfiguration?: unknown;
  readonly tracingConfiguration?: unknown;
  readonly encryptionConfiguration?: unknown;
  /** What the engine runs; a new one (a new compiled object) with every revision. */
  readonly record: StateMachineRecord;
}

export interface VersionEntry extends StateMachineEntry {
  /** `<state machine ARN>:<n>` */
  readonly versionArn: string;
  readonly version: number;
  readonly versionDescription?: string;
}

export interface RoutingEntry {
  readonly stateMachineVersionArn: string;
  readonly weight: number;
}

export interface AliasEntry {
  /** `<state machine ARN>:<alias name>` */
  readonly arn: string;
  readonly name: string;
  readonly stateMachineArn: string;
  readonly description?: string;
  /** One or two versions of the state machine, weights (percent) summing to 100. */
  readonly routingConfiguration: readonly RoutingEntry[];
  readonly creationDate: number;
  readonly updateDate?: number;
}

/** What StartExecution/StartSyncExecution resolves a state machine, version or alias ARN to. */
export interface StartTarget {
  /** The entry (state machine or version) whose definition runs. */
  readonly entry: StateMachineEntry;
  readonly stateMachineVersionArn?: string;
  readonly stateMachineAliasArn?: string;
}

export interface StateMachineRegistry {
  /** The state machine (not a version) with this ARN. */
  get(arn: string): StateMachineEntry | undefined;
  /** Adds or replaces a state machine (UpdateStateMachine puts the new revision). */
  put(entry: StateMachineEntry): void;
  /** Removes a state machine with its versions and aliases. */
  delete(arn: string): void;
  /** Every state machine, in creation order. */
  list(): StateMachineEntry[];
  /** A version by its ARN (`<state machine ARN>:<n>`). */
  getVersion(versionArn: string): VersionEntry | undefined;
  /** A state machine's versions, newest first. */
  versions(stateMachineArn: string): VersionEntry[];
  /**
   * Publishes the state machine's current revision as the next version number, or returns
   * the version already published from this revision (AWS: PublishStateMachineVersion is
   * idempotent). Numbers are never reused, even after a version is deleted.
   */
  publish(stateMachineArn: string, description: string | undefined, now: number): VersionEntry;
  deleteVersion(versionArn: string): void;
  getAlias(aliasArn: string): AliasEntry | undefined;
  /** A state machine's aliases, in creation order. */
  aliases(stateMachineArn: string): AliasEntry[];
  putAlias(alias: AliasEntry): void;
  deleteAlias(aliasArn: string): void;
  /** A state machine, version or alias ARN → what runs; undefined when there is none. Aliases pick a version by weight. */
  resolveForStart(arn: string): StartTarget | undefined;
  /**
   * The entry that describes the definition an execution ran (DescribeStateMachineForExecution):
   * its version when it ran one, else the revision whose compiled form `ran` is (the state
   * machine may have been updated since), else the state machine as it is now.
   */
  entryFor(stateMachineArn: string, stateMachineVersionArn?: string, ran?: StateMachineRecord["compiled"]): StateMachineEntry | undefined;
}
