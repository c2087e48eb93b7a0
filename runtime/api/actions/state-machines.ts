/**
 * The state machine lifecycle: Create, Describe, Update, Delete, List and
 * DescribeStateMachineForExecution. Versions and aliases are in versions.ts and aliases.ts.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_Operations.html
 */
import { stateMachineArn } from "../../engine/arns.js";
import type { StateMachineType } from "../../engine/engine.js";
import type { StateMachineEntry, VersionEntry } from "../../control/state-machine-registry.js";
import { epochSeconds, type ActionTable, type ApiContext } from "../context.js";
import { compileOrThrow } from "../definition-errors.js";
import { ApiError, invalidArn } from "../errors.js";
import { findExecutionOrThrow } from "../execution-arns.js";
import { stateMachineOf } from "../execution-views.js";
import { checkName, optionalBoolean, optionalEnum, optionalObject, optionalString, requiredString, type Body } from "../fields.js";
import { paginate } from "../pagination.js";
import { parseStateMachineArn, stateMachineDoesNotExist } from "../state-machine-arns.js";
import { checkTagCount, readTags } from "./tags.js";

export { readTags };

export const MAX_DEFINITION_LENGTH = 1_048_576;
const DEFAULT_LOGGING = { level: "OFF", includeExecutionData: false };
const DEFAULT_TRACING = { enabled: false };
const DEFAULT_ENCRYPTION = { type: "AWS_OWNED_KEY" };

export function checkRoleArn(roleArn: string): void {
  if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/.+/.test(roleArn)) throw invalidArn(roleArn);
}

/** The state machine (never a version or alias) with this ARN; InvalidArn or StateMachineDoesNotExist otherwise. */
export function stateMachineOrThrow(ctx: ApiContext, arn: string): StateMachineEntry {
  const ref = parseStateMachineArn(arn);
  const entry = ref.kind === "stateMachine" ? ctx.stateMachines.get(arn) : undefined;
  if (!entry) throw stateMachineDoesNotExist(arn);
  return entry;
}

type Configurations = Pick<StateMachineEntry, "loggingConfiguration" | "tracingConfiguration" | "encryptionConfiguration">;

/** The three configurations, with AWS's defaults filled in for what was never set. */
export function configurationOf(entry: Configurations): Record<string, unknown> {
  return {
    loggingConfiguration: entry.loggingConfiguration ?? DEFAULT_LOGGING,
    tracingConfiguration: entry.tracingConfiguration ?? DEFAULT_TRACING,
    encryptionConfiguration: entry.encryptionConfiguration ?? DEFAULT_ENCRYPTION,
  };
}

/** JSON with object keys sorted, so configurations compare by content. */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) => (x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort()) : x));

const sameConfiguration = (a: Configurations, b: Configurations): boolean => canonical(configurationOf(a)) === canonical(configurationOf(b));

/** The optional configuration objects of Create/UpdateStateMachine, defaults merged in as AWS stores them. */
function readConfigurations(body: Body): Configurations {
  const logging = optionalObject(body, "loggingConfiguration");
  const tracing = optionalObject(body, "tracingConfiguration");
  const encryption = optionalObject(body, "encryptionConfiguration");
  return {
    ...(logging ? { loggingConfiguration: { ...DEFAULT_LOGGING, ...logging } } : {}),
    ...(tracing ? { tracingConfiguration: { ...DEFAULT_TRACING, ...tracing } } : {}),
    ...(encryption ? { encryptionConfiguration: { ...DEFAULT_ENCRYPTION, ...encryption } } : {}),
  };
}

/** DescribeStateMachine's answer for a state machine or a version (its ARN, creation date and description). */
export function describeEntry(entry: StateMachineEntry): Record<string, unknown> {
  const version = "versionArn" in entry ? (entry as VersionEntry) : undefined;
  return {
    stateMachineArn: version?.versionArn ?? entry.arn,
    name: entry.name,
    status: "ACTIVE",
    definition: entry.definition,
    roleArn: entry.roleArn,
    type: entry.type,
    creationDate: epochSeconds(entry.creationDate),
    ...configurationOf(entry),
    ...(entry.revisionId !== undefined ? { revisionId: entry.revisionId } : {}),
    ...(version?.versionDescription !== undefined ? { description: version.versionDescription } : {}),
  };
}

/** `versionDescription` only goes with `publish: true` (AWS's check and wording). */
function readPublish(body: Body): { publish: boolean; versionDescription: string | undefined } {
  const publish = optionalBoolean(body, "publish") ?? false;
  const versionDescription = optionalString(body, "versionDescription", 256);
  if (versionDescription !== undefined && !publish) {
    throw new ApiError("ValidationException", "Version description can only be set when publish is true");
  }
  return { publish, versionDescription };
}

/**
 * A repeated CreateStateMachine. AWS's idempotency check covers the name, definition, type
 * and configurations and ignores a different roleArn or tags; with `publish` it answers the
 * version of the current revision.
 */
function repeatCreate(ctx: ApiContext, existing: StateMachineEntry, wanted: Omit<StateMachineEntry, "arn" | "creationDate" | "record">, publish: boolean): Record<string, unknown> {
  const version = publish ? ctx.stateMachines.versions(existing.arn).find((v) => v.revisionId === existing.revisionId) : undefined;
  const same = existing.definition === wanted.definition && existing.type === wanted.type && sameConfiguration(existing, wanted);
  if (!same || (publish && !version)) throw new ApiError("StateMachineAlreadyExists", `State Machine Already Exists: '${existing.arn}'`);
  return { stateMachineArn: existing.arn, creationDate: epochSeconds(existing.creationDate), ...(version ? { stateMachineVersionArn: version.versionArn } : {}) };
}

const updateFields = ["definition", "roleArn", "loggingConfiguration", "tracingConfiguration", "encryptionConfiguration"] as const;

export const stateMachineActions: ActionTable = {
  CreateStateMachine(body, ctx) {
    const name = requiredString(body, "name", 80);
    checkName(name, "state machine");
    const definition = requiredString(body, "definition", MAX_DEFINITION_LENGTH);
    const roleArn = requiredString(body, "roleArn", 256);
    checkRoleArn(roleArn);
    const type: StateMachineType = optionalEnum(body, "type", ["STANDARD", "EXPRESS"] as const) ?? "STANDARD";
    const { publish, versionDescription } = readPublish(body);
    const tags = readTags(body);
    const arn = stateMachineArn(ctx.account, name);
    const wanted = { name, type, definition, roleArn, ...readConfigurations(body) };
    const existing = ctx.stateMachines.get(arn);
    if (existing) return repeatCreate(ctx, existing, wanted, publish);
    const compiled = compileOrThrow(ctx.engine, definition, type);
    checkTagCount(ctx, arn, tags);
    const now = ctx.engine.clock.now();
    ctx.stateMachines.put({ ...wanted, arn, creationDate: now, record: { arn, name, compiled, creationDate: now, type, roleArn } });
    if (tags.length > 0) ctx.tags.tag(arn, tags);
    const version = publish ? ctx.stateMachines.publish(arn, versionDescription, now) : undefined;
    return { stateMachineArn: arn, creationDate: epochSeconds(now), ...(version ? { stateMachineVersionArn: version.versionArn } : {}) };
  },

  /** A state machine or one of its versions (`<state machine ARN>:<n>`). */
  DescribeStateMachine(body, ctx) {
    const arn = requiredString(body, "stateMachineArn", 2048);
    optionalEnum(body, "includedData", ["ALL_DATA", "METADATA_ONLY"] as const);
    const ref = parseStateMachineArn(arn);
    const entry = ref.kind === "version" ? ctx.stateMachines.getVersion(arn) : ref.kind === "stateMachine" ? ctx.stateMachines.get(arn) : undefined;
    if (!entry) throw stateMachineDoesNotExist(arn);
    return describeEntry(entry);
  },

  /**
   * A change makes a new revision (new revisionId, definition compiled anew); executions
   * already running keep what they started with. Nothing changed: the same revision.
   */
  UpdateStateMachine(body, ctx) {
    const current = stateMachineOrThrow(ctx, requiredString(body, "stateMachineArn", 256));
    if (updateFields.every((f) => body[f] === undefined || body[f] === null)) {
      throw new ApiError("MissingRequiredParameter", "Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified");
    }
    const definition = optionalString(body, "definition", MAX_DEFINITION_LENGTH) ?? current.definition;
    const roleArn = optionalString(body, "roleArn", 256) ?? current.roleArn;
    checkRoleArn(roleArn);
    const { publish, versionDescription } = readPublish(body);
    const compiled = compileOrThrow(ctx.engine, definition, current.type);
    const wanted = { ...current, definition, roleArn, ...readConfigurations(body) };
    const now = ctx.engine.clock.now();
    let entry = current;
    if (definition !== current.definition || roleArn !== current.roleArn || !sameConfiguration(current, wanted)) {
      entry = { ...wanted, updateDate: now, revisionId: ctx.engine.uuid(), record: { ...current.record, compiled, roleArn } };
      ctx.stateMachines.put(entry);
    }
    const version = publish ? ctx.stateMachines.publish(entry.arn, versionDescription, now) : undefined;
    return {
      updateDate: epochSeconds(entry.updateDate ?? entry.creationDate),
      ...(entry.revisionId !== undefined ? { revisionId: entry.revisionId } : {}),
      ...(version ? { stateMachineVersionArn: version.versionArn } : {}),
    };
  },

  /**
   * Removes the state machine with its versions, aliases and tags at once (AWS marks it
   * DELETING until its executions end; running executions here simply run on). A state
   * machine that does not exist is no error, as with AWS.
   */
  DeleteStateMachine(body, ctx) {
    const arn = requiredString(body, "stateMachineArn", 256);
    const ref = parseStateMachineArn(arn);
    if (ref.kind !== "stateMachine" || arn.includes("/")) {
      throw new ApiError("ValidationException", `DeleteStateMachine needs an unqualified state machine ARN: '${arn}'`);
    }
    if (ctx.stateMachines.get(arn)) {
      ctx.stateMachines.delete(arn);
      ctx.tags.forget(arn);
    }
    return {};
  },

  /** By name, as AWS orders them. */
  ListStateMachines(body, ctx) {
    const all = ctx.stateMachines.list().sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const page = paginate(body, all, "ListStateMachines");
    return {
      stateMachines: page.items.map((e) => ({ stateMachineArn: e.arn, name: e.name, type: e.type, creationDate: epochSeconds(e.creationDate) })),
      ...(page.nextToken !== undefined ? { nextToken: page.nextToken } : {}),
    };
  },

  /** The definition and configuration the execution ran: its version's, or the revision current when it started. */
  async DescribeStateMachineForExecution(body, ctx) {
    const arn = requiredString(body, "executionArn", 2048);
    optionalEnum(body, "includedData", ["ALL_DATA", "METADATA_ONLY"] as const);
    const { run, summary } = await findExecutionOrThrow(ctx, arn);
    // Once the execution has left memory, the revision it ran is not known: its version's, else the current one.
    const entry = run
      ? ctx.stateMachines.entryFor(run.info.stateMachineArn, run.info.stateMachineVersionArn, run.compiled)
      : ctx.stateMachines.entryFor(stateMachineOf(summary), summary.stateMachineVersionArn);
    if (!entry) throw new ApiError("ExecutionDoesNotExist", `Execution Does Not Exist: '${arn}'`);
    return {
      stateMachineArn: entry.arn,
      name: entry.name,
      definition: entry.definition,
      roleArn: entry.roleArn,
      updateDate: epochSeconds(entry.updateDate ?? entry.creationDate),
      ...configurationOf(entry),
      ...(entry.revisionId !== undefined ? { revisionId: entry.revisionId } : {}),
    };
  },
};
