/**
 * StartExecution, StartSyncExecution, DescribeExecution, StopExecution, ListExecutions,
 * RedriveExecution.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_RedriveExecution.html
 */
import { executionArn } from "../../engine/arns.js";
import type { ExecutionRun } from "../../engine/execution-run.js";
import { ExecutionNotRedrivable } from "../../engine/redrive.js";
import { epochSeconds, type ActionTable, type ApiContext } from "../context.js";
import { ApiError, validationError } from "../errors.js";
import { executionOrThrow } from "../execution-arns.js";
import { mapRunExecutions, stateMachineExecutions } from "../execution-list.js";
import { cursorPage } from "../execution-pages.js";
import { readStartRequest, startRun, typeNotSupported, type StartRequest } from "../execution-start.js";
import { describeExecution, executionListItem, inputTextOf, syncExecutionResult, type IncludedData } from "../execution-views.js";
import { optionalEnum, optionalString, requiredString, type Body } from "../fields.js";

const STATUSES = ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE"] as const;
const readIncludedData = (body: Body): IncludedData => optionalEnum(body, "includedData", ["ALL_DATA", "METADATA_ONLY"] as const) ?? "ALL_DATA";

/**
 * A Standard execution's name is unique for 90 days. The same name and input while it runs
 * is the same request again (AWS returns the original); anything else ExecutionAlreadyExists.
 */
function existingStandard(ctx: ApiContext, request: StartRequest): ExecutionRun | undefined {
  const { entry } = request.target;
  if (entry.type !== "STANDARD" || request.name === undefined) return undefined;
  const arn = executionArn(ctx.account, entry.name, request.name);
  const existing = ctx.engine.getExecution(arn);
  if (!existing) return undefined;
  if (existing.status === "RUNNING" && inputTextOf(existing) === request.input.text) return existing;
  throw new ApiError("ExecutionAlreadyExists", `Execution Already Exists: '${arn}'`);
}

export const executionActions: ActionTable = {
  StartExecution(body, ctx) {
    const request = readStartRequest(body, ctx);
    const run = existingStandard(ctx, request) ?? startRun(ctx, request);
    // Express executions are not kept once they end (AWS has no DescribeExecution for them).
    if (run.info.type === "EXPRESS") void ctx.engine.result(run).then(() => ctx.engine.forget(run));
    return { executionArn: run.info.arn, startDate: epochSeconds(run.info.startDate) };
  },

  async StartSyncExecution(body, ctx) {
    const request = readStartRequest(body, ctx);
    if (request.target.entry.type !== "EXPRESS") throw typeNotSupported();
    const included = readIncludedData(body);
    const run = startRun(ctx, request);
    try {
      await ctx.engine.result(run);
    } finally {
      ctx.engine.forget(run);
    }
    return syncExecutionResult(run, included);
  },

  DescribeExecution(body, ctx) {
    const arn = requiredString(body, "executionArn", 256);
    const included = readIncludedData(body);
    const run = executionOrThrow(ctx, arn);
    return describeExecution(run, ctx.engine.redriveStatus(run), included);
  },

  /** Stopping an execution that has already ended changes nothing and is not an error. */
  StopExecution(body, ctx) {
    const arn = requiredString(body, "executionArn", 256);
    const error = optionalString(body, "error", 256);
    const cause = optionalString(body, "cause", 32_768);
    const run = executionOrThrow(ctx, arn);
    if (run.status === "RUNNING") ctx.engine.stopExecution(run, error, cause);
    return { stopDate: epochSeconds(run.stopDate ?? ctx.engine.clock.now()) };
  },

  ListExecutions(body, ctx) {
    const arn = optionalString(body, "stateMachineArn", 256);
    const mapRunArn = optionalString(body, "mapRunArn", 2000);
    const status = optionalEnum(body, "statusFilter", STATUSES);
    const redriveFilter = optionalEnum(body, "redriveFilter", ["REDRIVEN", "NOT_REDRIVEN"] as const);
    if ((arn === undefined) === (mapRunArn === undefined)) {
      throw new ApiError("ValidationException", "1 validation error detected: Must provide a StateMachine ARN or MapRun ARN, but not both");
    }
    if (status === "PENDING_REDRIVE" && mapRunArn === undefined) throw validationError("statusFilter", status, "PENDING_REDRIVE can only be used with a mapRunArn");
    const { runs, pendingRedrive } = mapRunArn !== undefined ? mapRunExecutions(ctx, mapRunArn) : stateMachineExecutions(ctx, arn as string);
    const statusMatches = (run: ExecutionRun): boolean => status === undefined || (status === "PENDING_REDRIVE" ? pendingRedrive(run) : run.status === status && !pendingRedrive(run));
    const redriveMatches = (run: ExecutionRun): boolean => redriveFilter === undefined || (redriveFilter === "REDRIVEN") === run.redriveCount > 0;
    const keep = (run: ExecutionRun): boolean => statusMatches(run) && redriveMatches(run);
    const page = cursorPage(body, runs, (run) => run.info.arn, `executions|${arn ?? mapRunArn}|${status ?? ""}|${redriveFilter ?? ""}`, keep);
    const byMapRun = mapRunArn !== undefined;
    return { executions: page.items.map((run) => executionListItem(run, byMapRun)), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  },

  /**
   * Runs a failed, aborted or timed-out Standard execution again from the state that did not
   * succeed; the same `clientToken` again (15 minutes) answers the first redrive's date.
   */
  RedriveExecution(body, ctx) {
    const arn = requiredString(body, "executionArn", 256);
    const clientToken = optionalString(body, "clientToken", 64);
    if (clientToken === "") throw validationError("clientToken", clientToken, "Member must have length greater than or equal to 1");
    const run = executionOrThrow(ctx, arn);
    try {
      return { redriveDate: epochSeconds(ctx.engine.redriveExecution(run, clientToken)) };
    } catch (e) {
      if (e instanceof ExecutionNotRedrivable) throw new ApiError("ExecutionNotRedrivable", e.message);
      throw e;
    }
  },
};
