/**
 * StartExecution, StartSyncExecution, DescribeExecution, StopExecution, ListExecutions,
 * RedriveExecution.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_RedriveExecution.html
 */
import { executionArn } from "../../engine/arns.js";
import type { ExecutionRun } from "../../engine/execution-run.js";
import type { ExecutionStatus } from "../../engine/execution-status.js";
import type { ExecutionSummary } from "../../ports/execution-store.js";
import { ExecutionNotRedrivable } from "../../engine/redrive.js";
import { epochSeconds, type ActionTable, type ApiContext } from "../context.js";
import { ApiError, validationError } from "../errors.js";
import { findExecutionOrThrow } from "../execution-arns.js";
import { executionsOf, mapRunExecutions, stateMachineExecutions } from "../execution-list.js";
import { cursorPage, readPaging } from "../execution-pages.js";
import { readStartRequest, startRun, typeNotSupported, type StartRequest } from "../execution-start.js";
import { describeExecution, executionListItem, inputTextOf, summaryOf, syncExecutionResult, type IncludedData } from "../execution-views.js";
import { optionalEnum, optionalString, requiredString, type Body } from "../fields.js";

const STATUSES = ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE"] as const;
const readIncludedData = (body: Body): IncludedData => optionalEnum(body, "includedData", ["ALL_DATA", "METADATA_ONLY"] as const) ?? "ALL_DATA";

/**
 * A Standard execution's name is unique for 90 days. The same name and input while it runs
 * is the same request again (AWS returns the original); anything else ExecutionAlreadyExists.
 */
function existingStandard(ctx: ApiContext, request: StartRequest): ExecutionRun | undefined {
  const arn = standardArn(ctx, request);
  const existing = arn === undefined ? undefined : ctx.engine.getExecution(arn);
  if (!existing) return undefined;
  if (existing.status === "RUNNING" && inputTextOf(existing) === request.input.text) return existing;
  throw alreadyExists(arn as string);
}

/** The ARN a named Standard execution gets (unnamed ones get a fresh UUID, never taken). */
function standardArn(ctx: ApiContext, request: StartRequest): string | undefined {
  const { entry } = request.target;
  return entry.type !== "STANDARD" || request.name === undefined ? undefined : executionArn(ctx.account, entry.name, request.name);
}

const alreadyExists = (arn: string): ApiError => new ApiError("ExecutionAlreadyExists", `Execution Already Exists: '${arn}'`);

/** StartExecution once the request is read: the same request again answers the running execution. */
export function startExecution(ctx: ApiContext, request: StartRequest): { executionArn: string; startDate: number } {
  const run = existingStandard(ctx, request) ?? startRun(ctx, request);
  // Express executions are not kept once they end (AWS has no DescribeExecution for them).
  if (run.info.type === "EXPRESS") void ctx.engine.result(run).then(() => ctx.engine.forget(run));
  return { executionArn: run.info.arn, startDate: epochSeconds(run.info.startDate) };
}

/** ListExecutions of a state machine, version or alias over the engine's memory and the store together. */
async function storedAndLive(ctx: ApiContext, body: Body, arn: string, status: ExecutionStatus | undefined, redriveFilter: string | undefined, scope: string): Promise<Record<string, unknown>> {
  executionsOf(ctx, arn);
  const { max, token } = readPaging(body);
  const keep = (s: ExecutionSummary): boolean => redriveFilter === undefined || (redriveFilter === "REDRIVEN") === (s.redriveCount ?? 0) > 0;
  const page = await ctx.executions.list({ arn, max, scope, keep, ...(status !== undefined ? { status } : {}), ...(token !== undefined ? { token } : {}) });
  return { executions: page.items.map((s) => executionListItem(s)), ...(page.next ? { nextToken: page.next } : {}) };
}

export const executionActions: ActionTable = {
  /** A name stays taken while the store keeps its execution, also once the engine has let the execution go. */
  async StartExecution(body, ctx) {
    const request = readStartRequest(body, ctx);
    const arn = standardArn(ctx, request);
    if (arn !== undefined && !ctx.engine.getExecution(arn) && (await ctx.executions.stored(arn)) && !ctx.engine.getExecution(arn)) throw alreadyExists(arn);
    const answer = startExecution(ctx, request);
    // Persist, then answer: a durable execution's start is stored before the client hears of it.
    await ctx.engine.flushed();
    return answer;
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

  async DescribeExecution(body, ctx) {
    const arn = requiredString(body, "executionArn", 256);
    const included = readIncludedData(body);
    const found = await findExecutionOrThrow(ctx, arn);
    return describeExecution(found.summary, found.run ? ctx.engine.redriveStatus(found.run) : ctx.executions.storedVerdict(found), included);
  },

  /** Stopping an execution that has already ended changes nothing and is not an error. */
  async StopExecution(body, ctx) {
    const arn = requiredString(body, "executionArn", 256);
    const error = optionalString(body, "error", 256);
    const cause = optionalString(body, "cause", 32_768);
    const found = await findExecutionOrThrow(ctx, arn);
    const { summary } = found;
    // A shared store's execution is stopped as the store holds it, by whichever node is asked.
    const run = ctx.engine.sharesStore && summary.status === "RUNNING" ? await ctx.engine.loadExecution(arn) : found.run;
    if (run?.status === "RUNNING") ctx.engine.stopExecution(run, error, cause);
    const stopDate = (run ? run.stopDate : summary.stopDate) ?? ctx.engine.clock.now();
    await ctx.engine.flushed();
    return { stopDate: epochSeconds(stopDate) };
  },

  async ListExecutions(body, ctx) {
    const arn = optionalString(body, "stateMachineArn", 256);
    const mapRunArn = optionalString(body, "mapRunArn", 2000);
    const status = optionalEnum(body, "statusFilter", STATUSES);
    const redriveFilter = optionalEnum(body, "redriveFilter", ["REDRIVEN", "NOT_REDRIVEN"] as const);
    if ((arn === undefined) === (mapRunArn === undefined)) {
      throw new ApiError("ValidationException", "1 validation error detected: Must provide a StateMachine ARN or MapRun ARN, but not both");
    }
    if (status === "PENDING_REDRIVE" && mapRunArn === undefined) throw validationError("statusFilter", status, "PENDING_REDRIVE can only be used with a mapRunArn");
    const scope = `executions|${arn ?? mapRunArn}|${status ?? ""}|${redriveFilter ?? ""}`;
    if (mapRunArn === undefined && ctx.executions.durable) return storedAndLive(ctx, body, arn as string, status as ExecutionStatus | undefined, redriveFilter, scope);
    const { runs, pendingRedrive } = mapRunArn !== undefined ? await mapRunExecutions(ctx, mapRunArn) : stateMachineExecutions(ctx, arn as string);
    const statusMatches = (run: ExecutionRun): boolean => status === undefined || (status === "PENDING_REDRIVE" ? pendingRedrive(run) : run.status === status && !pendingRedrive(run));
    const redriveMatches = (run: ExecutionRun): boolean => redriveFilter === undefined || (redriveFilter === "REDRIVEN") === run.redriveCount > 0;
    const keep = (run: ExecutionRun): boolean => statusMatches(run) && redriveMatches(run);
    const page = cursorPage(body, runs, (run) => run.info.arn, scope, keep);
    const byMapRun = mapRunArn !== undefined;
    return { executions: page.items.map((run) => executionListItem(summaryOf(run, false), byMapRun)), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  },

  /**
   * Runs a failed, aborted or timed-out Standard execution again from the state that did not
   * succeed; the same `clientToken` again (15 minutes) answers the first redrive's date.
   */
  async RedriveExecution(body, ctx) {
    const arn = requiredString(body, "executionArn", 256);
    const clientToken = optionalString(body, "clientToken", 64);
    if (clientToken === "") throw validationError("clientToken", clientToken, "Member must have length greater than or equal to 1");
    const found = await findExecutionOrThrow(ctx, arn);
    // One that has left memory comes back from the store to be redriven.
    const run = found.run ?? (await ctx.engine.loadExecution(arn));
    if (!run) throw new ApiError("ExecutionNotRedrivable", ctx.executions.storedVerdict(found).reason ?? "Execution cannot be redriven");
    let redriveDate: number;
    try {
      redriveDate = ctx.engine.redriveExecution(run, clientToken);
    } catch (e) {
      if (e instanceof ExecutionNotRedrivable) throw new ApiError("ExecutionNotRedrivable", e.message);
      throw e;
    }
    await ctx.engine.flushed();
    return { redriveDate: epochSeconds(redriveDate) };
  },
};
