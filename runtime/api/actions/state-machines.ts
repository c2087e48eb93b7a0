/** CreateStateMachine, DescribeStateMachine (Update/Delete/List/DescribeStateMachineForExecution: see below). */
import { stateMachineArn } from "../../engine/arns.js";
import type { StateMachineType } from "../../engine/engine.js";
import type { StateMachineEntry } from "../../control/state-machine-registry.js";
import type { Tag } from "../../control/tag-registry.js";
import { epochSeconds, type ActionTable, type ApiContext } from "../context.js";
import { compileOrThrow } from "../definition-errors.js";
import { ApiError, invalidArn, validationError } from "../errors.js";
import { checkName, optionalArray, optionalBoolean, optionalEnum, optionalObject, optionalString, requiredString, type Body } from "../fields.js";

export const MAX_DEFINITION_LENGTH = 1_048_576;
const DEFAULT_LOGGING = { level: "OFF", includeExecutionData: false };
const DEFAULT_TRACING = { enabled: false };

export function checkRoleArn(roleArn: string): void {
  if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/.+/.test(roleArn)) throw invalidArn(roleArn);
}

/** The state machine with this ARN, or StateMachineDoesNotExist (InvalidArn when it is not a state machine ARN). */
export function stateMachineOrThrow(ctx: ApiContext, arn: string): StateMachineEntry {
  if (!/^arn:aws[a-z-]*:states:[^:]*:\d{12}:stateMachine:[^:]+$/.test(arn)) throw invalidArn(arn);
  const entry = ctx.stateMachines.get(arn);
  if (!entry) throw new ApiError("StateMachineDoesNotExist", `State Machine Does Not Exist: '${arn}'`);
  return entry;
}

export function readTags(body: Body): Tag[] {
  const tags = optionalArray(body, "tags") ?? [];
  return tags.map((t, i) => {
    const tag = (t ?? {}) as Record<string, unknown>;
    if (typeof tag["key"] !== "string" || tag["key"].length === 0) throw validationError(`tags.${i + 1}.member.key`, tag["key"], "Member must not be null");
    return { key: tag["key"], value: typeof tag["value"] === "string" ? tag["value"] : "" };
  });
}

/** True when a repeated CreateStateMachine asks for exactly what exists (AWS then returns it). */
function sameRequest(existing: StateMachineEntry, wanted: Omit<StateMachineEntry, "arn" | "creationDate" | "revisionId" | "record">): boolean {
  return existing.definition === wanted.definition && existing.roleArn === wanted.roleArn && existing.type === wanted.type &&
    JSON.stringify(existing.loggingConfiguration ?? DEFAULT_LOGGING) === JSON.stringify(wanted.loggingConfiguration ?? DEFAULT_LOGGING) &&
    JSON.stringify(existing.tracingConfiguration ?? DEFAULT_TRACING) === JSON.stringify(wanted.tracingConfiguration ?? DEFAULT_TRACING);
}

export function describeEntry(entry: StateMachineEntry): Record<string, unknown> {
  return {
    stateMachineArn: entry.arn,
    name: entry.name,
    status: "ACTIVE",
    definition: entry.definition,
    roleArn: entry.roleArn,
    type: entry.type,
    creationDate: epochSeconds(entry.creationDate),
    loggingConfiguration: entry.loggingConfiguration ?? DEFAULT_LOGGING,
    tracingConfiguration: entry.tracingConfiguration ?? DEFAULT_TRACING,
    encryptionConfiguration: entry.encryptionConfiguration ?? { type: "AWS_OWNED_KEY" },
    revisionId: entry.revisionId,
    ...(entry.description !== undefined ? { description: entry.description } : {}),
  };
}

export const stateMachineActions: ActionTable = {
  CreateStateMachine(body, ctx) {
    const name = requiredString(body, "name", 80);
    checkName(name, "state machine");
    const definition = requiredString(body, "definition", MAX_DEFINITION_LENGTH);
    const roleArn = requiredString(body, "roleArn", 256);
    checkRoleArn(roleArn);
    const type: StateMachineType = optionalEnum(body, "type", ["STANDARD", "EXPRESS"] as const) ?? "STANDARD";
    const loggingConfiguration = optionalObject(body, "loggingConfiguration");
    const tracingConfiguration = optionalObject(body, "tracingConfiguration");
    const encryptionConfiguration = optionalObject(body, "encryptionConfiguration");
    const publish = optionalBoolean(body, "publish") ?? false;
    const versionDescription = optionalString(body, "versionDescription", 256);
    if (versionDescription !== undefined && !publish) {
      throw new ApiError("ValidationException", "Version description can only be set when publish is true");
    }
    const tags = readTags(body);
    const arn = stateMachineArn(ctx.account, name);
    const wanted = {
      name, type, definition, roleArn,
      ...(loggingConfiguration ? { loggingConfiguration } : {}),
      ...(tracingConfiguration ? { tracingConfiguration } : {}),
      ...(encryptionConfiguration ? { encryptionConfiguration } : {}),
    };
    const existing = ctx.stateMachines.get(arn);
    if (existing) {
      if (!sameRequest(existing, wanted)) throw new ApiError("StateMachineAlreadyExists", `State Machine Already Exists: '${arn}'`);
      return { stateMachineArn: arn, creationDate: epochSeconds(existing.creationDate) };
    }
    const compiled = compileOrThrow(ctx.engine, definition);
    const now = ctx.engine.clock.now();
    const entry: StateMachineEntry = {
      ...wanted, arn, creationDate: now, revisionId: ctx.engine.uuid(),
      record: { arn, name, compiled, creationDate: now, type, roleArn },
    };
    ctx.stateMachines.put(entry);
    if (tags.length > 0) ctx.tags.tag(arn, tags);
    const version = publish ? ctx.stateMachines.publish(arn, versionDescription, now) : undefined;
    return { stateMachineArn: arn, creationDate: epochSeconds(now), ...(version ? { stateMachineVersionArn: version.versionArn } : {}) };
  },

  DescribeStateMachine(body, ctx) {
    const arn = requiredString(body, "stateMachineArn", 2048);
    const version = ctx.stateMachines.getVersion(arn);
    if (version) return { ...describeEntry(version), stateMachineArn: version.versionArn, ...(version.versionDescription !== undefined ? { description: version.versionDescription } : {}) };
    return describeEntry(stateMachineOrThrow(ctx, arn));
  },
};
