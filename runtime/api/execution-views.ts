/**
 * How an execution looks over the API: DescribeExecution, ListExecutions items and the
 * StartSyncExecution answer. Each is rendered from an ExecutionSummary, which a run in the
 * engine's memory and an execution read back from the store both give, so an execution
 * looks the same before and after it has left memory. Times are epoch seconds; input and
 * output are JSON text.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html
 */
import type { ExecutionRun } from "../engine/execution-run.js";
import type { RedriveVerdict } from "../engine/redrive.js";
import type { ExecutionSummary } from "../ports/execution-store.js";
import { epochSeconds } from "./context.js";

/** `includedData`: METADATA_ONLY leaves input and output out (`included: false`). */
export type IncludedData = "ALL_DATA" | "METADATA_ONLY";

export const inputTextOf = (run: ExecutionRun): string => run.info.inputText ?? JSON.stringify(run.info.input);

/** `<state machine ARN>:<qualifier>` → the state machine ARN. */
const unqualified = (arn: string): string => arn.slice(0, arn.lastIndexOf(":"));

/**
 * The state machine an execution belongs to (never a version or alias ARN): the engine runs
 * a version under its version ARN, AWS reports the state machine's ARN beside it.
 */
export const stateMachineOf = (s: Pick<ExecutionSummary, "stateMachineArn" | "stateMachineVersionArn">): string =>
  s.stateMachineVersionArn ? unqualified(s.stateMachineVersionArn) : s.stateMachineArn;

/** A run as a summary; `withData: false` leaves out input and output (ListExecutions needs neither). */
export function summaryOf(run: ExecutionRun, withData = true): ExecutionSummary {
  const { info } = run;
  return {
    executionArn: info.arn, name: info.name, type: info.type ?? "STANDARD", status: run.status, startDate: info.startDate,
    stateMachineArn: stateMachineOf({ stateMachineArn: info.stateMachineArn, ...(info.stateMachineVersionArn ? { stateMachineVersionArn: info.stateMachineVersionArn } : {}) }),
    ...(run.stopDate !== undefined ? { stopDate: run.stopDate } : {}),
    ...(info.stateMachineVersionArn ? { stateMachineVersionArn: info.stateMachineVersionArn } : {}),
    ...(info.stateMachineAliasArn ? { stateMachineAliasArn: info.stateMachineAliasArn } : {}),
    ...(info.mapRunArn !== undefined ? { mapRunArn: info.mapRunArn } : {}),
    ...(withData ? { input: inputTextOf(run) } : {}),
    ...(withData && run.status === "SUCCEEDED" ? { output: JSON.stringify(run.output ?? null) } : {}),
    ...(run.error !== undefined ? { error: run.error } : {}),
    ...(run.cause !== undefined ? { cause: run.cause } : {}),
    ...(info.traceHeader !== undefined ? { traceHeader: info.traceHeader } : {}),
    redriveCount: run.redriveCount,
    ...(run.redriveDate !== undefined ? { redriveDate: run.redriveDate } : {}),
  };
}

/** Fields every view shares: which execution of which state machine. */
function identity(s: ExecutionSummary): Record<string, unknown> {
  return {
    executionArn: s.executionArn,
    stateMachineArn: stateMachineOf(s),
    name: s.name,
    status: s.status,
    startDate: epochSeconds(s.startDate),
    ...(s.stopDate !== undefined ? { stopDate: epochSeconds(s.stopDate) } : {}),
  };
}

/**
 * Input, output, error and cause. DescribeExecution gives outputDetails with an output only;
 * StartSyncExecution gives it for a failed execution too (recorded AWS answers).
 */
function data(s: ExecutionSummary, included: IncludedData, outputDetailsWhenFailed: boolean): Record<string, unknown> {
  const all = included === "ALL_DATA";
  const succeeded = s.status === "SUCCEEDED";
  return {
    ...(all ? { input: s.input ?? "{}" } : {}),
    inputDetails: { included: all },
    ...(all && succeeded ? { output: s.output ?? "null" } : {}),
    ...(succeeded || (outputDetailsWhenFailed && s.status !== "RUNNING") ? { outputDetails: { included: all } } : {}),
    ...(s.error !== undefined ? { error: s.error } : {}),
    ...(s.cause !== undefined ? { cause: s.cause } : {}),
  };
}

const versionAndAlias = (s: ExecutionSummary): Record<string, unknown> => ({
  ...(s.stateMachineVersionArn ? { stateMachineVersionArn: s.stateMachineVersionArn } : {}),
  ...(s.stateMachineAliasArn ? { stateMachineAliasArn: s.stateMachineAliasArn } : {}),
});

/** How many times it was redriven, and when last. */
const redrives = (s: ExecutionSummary): Record<string, unknown> => ({
  redriveCount: s.redriveCount ?? 0,
  ...(s.redriveDate !== undefined ? { redriveDate: epochSeconds(s.redriveDate) } : {}),
});

/**
 * DescribeExecution. `redrive`: whether it can be redriven now (REDRIVABLE, NOT_REDRIVABLE
 * with AWS's reason, or REDRIVABLE_BY_MAP_RUN for a map run's child execution).
 * https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html
 */
export function describeExecution(s: ExecutionSummary, redrive: RedriveVerdict, included: IncludedData = "ALL_DATA"): Record<string, unknown> {
  return {
    ...identity(s),
    ...data(s, included, false),
    ...versionAndAlias(s),
    ...(s.mapRunArn !== undefined ? { mapRunArn: s.mapRunArn } : {}),
    ...(s.traceHeader !== undefined ? { traceHeader: s.traceHeader } : {}),
    ...redrives(s),
    redriveStatus: redrive.status,
    ...(redrive.reason !== undefined ? { redriveStatusReason: redrive.reason } : {}),
  };
}

/** A ListExecutions item; listed by map run, it names the map run and its item count (one item each here). */
export function executionListItem(s: ExecutionSummary, byMapRun = false): Record<string, unknown> {
  const mapRun = byMapRun && s.mapRunArn !== undefined ? { mapRunArn: s.mapRunArn, itemCount: 1 } : {};
  return { ...identity(s), ...mapRun, ...versionAndAlias(s), ...redrives(s) };
}

/** StartSyncExecution's answer: the end of an Express execution, with its billing. */
export function syncExecutionResult(run: ExecutionRun, included: IncludedData = "ALL_DATA"): Record<string, unknown> {
  const s = summaryOf(run);
  const durationMs = (run.stopDate ?? run.info.startDate) - run.info.startDate;
  return {
    ...identity(s),
    ...data(s, included, true),
    ...(s.traceHeader !== undefined ? { traceHeader: s.traceHeader } : {}),
    // AWS bills Express in 100 ms steps (at least one) and 64 MB steps.
    billingDetails: { billedMemoryUsedInMB: 64, billedDurationInMilliseconds: Math.max(100, Math.ceil(durationMs / 100) * 100) },
  };
}
