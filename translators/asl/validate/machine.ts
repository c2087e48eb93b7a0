/**
 * A state machine or sub-machine (Parallel branch, Map ItemProcessor/Iterator): its own
 * fields, StartAt and a non-empty States object, each state, then the scope's graph.
 * https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html
 */
import { pointer } from "../diagnostics.js";
import { isObject, type JsonObject } from "../../json.js";
import { MAX_SECONDS, checkEnum, checkInteger, checkObject, checkString, has } from "./checks.js";
import { CODES } from "./codes.js";
import type { MachineKind, Scope, ValidationContext } from "./context.js";
import { checkKnownFields, type FieldSets } from "./fields/known-fields.js";
import { checkGraph } from "./graph.js";
import { validateState } from "./states/index.js";

const MACHINE_FIELDS: Record<MachineKind, FieldSets> = {
  top: { both: ["Comment", "StartAt", "States", "TimeoutSeconds", "Version", "QueryLanguage"], JSONPath: [], JSONata: [] },
  branch: { both: ["Comment", "StartAt", "States"], JSONPath: [], JSONata: [] },
  processor: { both: ["Comment", "StartAt", "States", "ProcessorConfig"], JSONPath: [], JSONata: [] },
};

const WHAT: Record<MachineKind, string> = {
  top: "The state machine definition",
  branch: "A Parallel branch",
  processor: "A Map ItemProcessor",
};

const OWNER: Record<MachineKind, string> = {
  top: "at the top level of a state machine",
  branch: "in a Parallel branch",
  processor: "in a Map ItemProcessor",
};

/** Validates a (sub)machine at `location` ("" for the definition) with its own scope. */
export function validateMachine(ctx: ValidationContext, raw: unknown, location: string, kind: MachineKind): void {
  const { diags } = ctx;
  if (!checkObject(diags, location, WHAT[kind], raw)) return;
  checkKnownFields(diags, location, raw, MACHINE_FIELDS[kind], ctx.topLanguage, OWNER[kind]);
  checkOwnFields(ctx, raw, location, kind);
  const startAt = checkStartAt(ctx, raw, location, kind);
  const states = checkStates(ctx, raw, location, kind);
  if (states === undefined) return;
  const scope: Scope = { base: location, names: new Set(Object.keys(states)), edges: [] };
  for (const [name, state] of Object.entries(states)) {
    validateState(ctx, scope, name, state, pointer(location, "States", name));
  }
  checkGraph(ctx, scope, startAt, states);
}

function checkOwnFields(ctx: ValidationContext, raw: JsonObject, location: string, kind: MachineKind): void {
  const { diags } = ctx;
  if (has(raw, "Comment")) checkString(diags, pointer(location, "Comment"), "Comment", raw["Comment"]);
  if (kind === "top" && has(raw, "Version")) checkString(diags, pointer(location, "Version"), "Version", raw["Version"]);
  if (kind === "top" && has(raw, "TimeoutSeconds")) {
    checkInteger(diags, pointer(location, "TimeoutSeconds"), "TimeoutSeconds", raw["TimeoutSeconds"], 0, MAX_SECONDS);
  }
  if (kind === "processor" && has(raw, "ProcessorConfig")) checkProcessorConfig(ctx, raw["ProcessorConfig"], pointer(location, "ProcessorConfig"));
}

const PROCESSOR_CONFIG_FIELDS: FieldSets = { both: ["Mode", "ExecutionType"], JSONPath: [], JSONata: [] };

/** Mode INLINE (default) or DISTRIBUTED; a DISTRIBUTED processor must name its ExecutionType. */
function checkProcessorConfig(ctx: ValidationContext, raw: unknown, location: string): void {
  const { diags } = ctx;
  if (!checkObject(diags, location, "ProcessorConfig", raw)) return;
  checkKnownFields(diags, location, raw, PROCESSOR_CONFIG_FIELDS, ctx.topLanguage, "in ProcessorConfig");
  if (has(raw, "Mode")) checkEnum(diags, pointer(location, "Mode"), "Mode", raw["Mode"], ["INLINE", "DISTRIBUTED"]);
  if (has(raw, "ExecutionType")) checkEnum(diags, pointer(location, "ExecutionType"), "ExecutionType", raw["ExecutionType"], ["STANDARD", "EXPRESS"]);
  else if (raw["Mode"] === "DISTRIBUTED") diags.error(location, CODES.Schema, "ProcessorConfig with Mode \"DISTRIBUTED\" must have ExecutionType (\"STANDARD\" or \"EXPRESS\"), found none.");
}

function checkStartAt(ctx: ValidationContext, raw: JsonObject, location: string, kind: MachineKind): unknown {
  if (!has(raw, "StartAt")) {
    ctx.diags.error(location, CODES.Schema, `${WHAT[kind]} must have StartAt (the name of its first state), found none.`);
    return undefined;
  }
  checkString(ctx.diags, pointer(location, "StartAt"), "StartAt", raw["StartAt"], true);
  return raw["StartAt"];
}

function checkStates(ctx: ValidationContext, raw: JsonObject, location: string, kind: MachineKind): JsonObject | undefined {
  if (!has(raw, "States")) {
    ctx.diags.error(location, CODES.Schema, `${WHAT[kind]} must have States (an object of named states), found none.`);
    return undefined;
  }
  const states = raw["States"];
  const at = pointer(location, "States");
  if (!checkObject(ctx.diags, at, "States", states)) return undefined;
  if (Object.keys(states).length === 0) {
    ctx.diags.error(at, CODES.Schema, "States must hold at least one state, found an empty object.");
    return undefined;
  }
  return isObject(states) ? states : undefined;
}
