/**
 * How an execution looks over the API: DescribeExecution, ListExecutions items and the
 * StartSyncExecution answer. Times are epoch seconds; input and output are JSON text.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html
 */
import type { ExecutionRun } from "../engine/execution-run.js";
import type { RedriveVerdict } from "../engine/redrive.js";
import { epochSeconds } from "./context.js";
import { stateMachineArnOf } from "./execution-arns.js";

/** `includedData`: METADATA_ONLY leaves input and output out (`included: false`). */
export type IncludedData = "ALL_DATA" | "METADATA_ONLY";

export const inputTextOf = (run: ExecutionRun): string => run.info.inputText ?? JSON.stringify(run.info.input);

/** Fields every view shares: which execution of which state machine. */
function identity(run: ExecutionRun): Record<string, unknown> {
  return {
    executionArn: run.info.arn,
    stateMachineArn: stateMachineArnOf(run),
    name: run.info.name,
    status: run.status,
    startDate: epochSeconds(run.info.startDate),
    ...(run.stopDate !== undefined ? { stopDate: epochSeconds(run.stopDate) } : {}),
  };
}

/**
 * Input, output, error and cause. DescribeExecution gives outputDetails with an output only;
 * StartSyncExecution gives it for a failed execution too (recorded AWS answers).
 */
function data(run: ExecutionRun, included: IncludedData, outputDetailsWhenFailed: boolean): Record<string, unknown> {
  const all = included === "ALL_DATA";
  const succeeded = run.status === "SUCCEEDED";
  return {
    ...(all ? { input: inputTextOf(run) } : {}),
    inputDetails: { included: all },
    ...(all && succeeded ? { output: JSON.stringify(run.output ?? null) } : {}),
    ...(succeeded || (outputDetailsWhenFailed && run.status !== "RUNNING") ? { outputDetails: { included: all } } : {}),
    ...(run.error !== undefined ? { error: run.error } : {}),
    ...(run.cause !== undefined ? { cause: run.cause } : {}),
  };
}

const versionAndAlias = (run: ExecutionRun): Record<string, unknown> => ({
  ...(run.info.stateMachineVersionArn ? { stateMachineVersionArn: run.info.stateMachineVersionArn } : {}),
  ...(run.info.stateMachineAliasArn ? { stateMachineAliasArn: run.info.stateMachineAliasArn } : {}),
});

/** How many times it was redriven, and when last. */
const redrives = (run: ExecutionRun): Record<string, unknown> => ({
  redriveCount: run.redriveCount,
  ...(run.redriveDate !== undefined ? { redriveDate: epochSeconds(run.redriveDate) } : {}),
});

/**
 * DescribeExecution. `redrive`: whether it can be redriven now (REDRIVABLE, NOT_REDRIVABLE
 * with AWS's reason, or REDRIVABLE_BY_MAP_RUN for a map run's child execution).
 * https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html
 */
export function describeExecution(run: ExecutionRun, redrive: RedriveVerdict, included: IncludedData = "ALL_DATA"): Record<string, unknown> {
  return {
    ...identity(run),
    ...data(run, included, false),
    ...versionAndAlias(run),
    ...(run.info.mapRunArn !== undefined ? { mapRunArn: run.info.mapRunArn } : {}),
    ...(run.info.traceHeader !== undefined ? { traceHeader: run.info.traceHeader } : {}),
    ...redrives(run),
    redriveStatus: redrive.status,
    ...(redrive.reason !== undefined ? { redriveStatusReason: redrive.reason } : {}),
  };
}

/** A ListExecutions item; listed by map run, it names the map run and its item count (one item each here). */
export function executionListItem(run: ExecutionRun, byMapRun = false): Record<string, unknown> {
  const mapRun = byMapRun && run.info.mapRunArn !== undefined ? { mapRunArn: run.info.mapRunArn, itemCount: 1 } : {};
  return { ...identity(run), ...mapRun, ...versionAndAlias(run), ...redrives(run) };
}

/** StartSyncExecution's answer: the end of an Express execution, with its billing. */
export function syncExecutionResult(run: ExecutionRun, included: IncludedData = "ALL_DATA"): Record<string, unknown> {
  const durationMs = (run.stopDate ?? run.info.startDate) - run.info.startDate;
  return {
    ...identity(run),
    ...data(run, included, true),
    ...(run.info.traceHeader !== undefined ? { traceHeader: run.info.traceHeader } : {}),
    // AWS bills Express in 100 ms steps (at least one) and 64 MB steps.
    billingDetails: { billedMemoryUsedInMB: 64, billedDurationInMilliseconds: Math.max(100, Math.ceil(durationMs / 100) * 100) },
  };
}
