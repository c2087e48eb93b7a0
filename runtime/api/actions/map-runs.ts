/**
 * DescribeMapRun, ListMapRuns and UpdateMapRun: a Distributed Map's map run, its settings,
 * the counts of its items and child executions, and its redrives.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeMapRun.html
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_UpdateMapRun.html
 */
import type { ExecutionRun } from "../../engine/execution-run.js";
import type { MapRun } from "../../engine/map-run.js";
import { epochSeconds, type ActionTable, type ApiContext } from "../context.js";
import { ApiError, validationError } from "../errors.js";
import { executionOrThrow } from "../execution-arns.js";
import { optionalInteger, requiredString, type Body } from "../fields.js";
import { findMapRunOrThrow, mapRunOrThrow } from "../map-run-arns.js";
import { paginate } from "../pagination.js";

/** A Standard execution read back from the store (undefined: none, or not an execution ARN: executionOrThrow says which). */
async function loadedOrUndefined(ctx: ApiContext, arn: string): Promise<ExecutionRun | undefined> {
  if (!/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:execution:/.test(arn)) return undefined;
  const run = await ctx.engine.loadExecution(arn);
  return run?.info.type === "EXPRESS" ? undefined : run;
}

function describeMapRun(ctx: ApiContext, mapRun: MapRun): Record<string, unknown> {
  // One item per child execution (no ItemBatcher): both counts are the same.
  const counts = ctx.engine.mapRunCounts(mapRun);
  return {
    mapRunArn: mapRun.arn,
    executionArn: mapRun.execution.info.arn,
    status: mapRun.status,
    startDate: epochSeconds(mapRun.startDate),
    ...(mapRun.stopDate !== undefined ? { stopDate: epochSeconds(mapRun.stopDate) } : {}),
    maxConcurrency: mapRun.maxConcurrency,
    toleratedFailurePercentage: mapRun.toleratedFailurePercentage,
    toleratedFailureCount: mapRun.toleratedFailureCount,
    itemCounts: counts,
    executionCounts: counts,
    redriveCount: mapRun.redriveCount,
    ...(mapRun.redriveDate !== undefined ? { redriveDate: epochSeconds(mapRun.redriveDate) } : {}),
  };
}

/** UpdateMapRun's `toleratedFailurePercentage`: a number from 0 to 100 (the model's Float). */
function optionalPercentage(body: Body): number | undefined {
  const v = body["toleratedFailurePercentage"];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isFinite(v)) throw new ApiError("SerializationException", "Field 'toleratedFailurePercentage' must be a number");
  if (v < 0) throw validationError("toleratedFailurePercentage", v, "Member must have value greater than or equal to 0");
  if (v > 100) throw validationError("toleratedFailurePercentage", v, "Member must have value less than or equal to 100");
  return v;
}

export const mapRunActions: ActionTable = {
  async DescribeMapRun(body, ctx) {
    return describeMapRun(ctx, await findMapRunOrThrow(ctx, requiredString(body, "mapRunArn", 2000)));
  },

  /** The map runs an execution started, oldest first (a retried Distributed Map starts a new one). */
  async ListMapRuns(body, ctx) {
    const arn = requiredString(body, "executionArn", 256);
    // A finished execution has left memory: it is read back from the store with its map runs.
    const run = ctx.engine.getExecution(arn) ?? (await loadedOrUndefined(ctx, arn)) ?? executionOrThrow(ctx, arn);
    const page = paginate(body, [...run.mapRuns.values()], `mapRuns|${arn}`);
    const items = page.items.map((mapRun) => ({
      executionArn: run.info.arn,
      mapRunArn: mapRun.arn,
      stateMachineArn: run.info.stateMachineArn,
      startDate: epochSeconds(mapRun.startDate),
      ...(mapRun.stopDate !== undefined ? { stopDate: epochSeconds(mapRun.stopDate) } : {}),
    }));
    return { mapRuns: items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  },

  /** New settings for a running map run: they apply to the iterations not started yet. */
  UpdateMapRun(body, ctx) {
    const arn = requiredString(body, "mapRunArn", 2000);
    const maxConcurrency = optionalInteger(body, "maxConcurrency", 0, 2 ** 31 - 1);
    const toleratedFailureCount = optionalInteger(body, "toleratedFailureCount", 0, Number.MAX_SAFE_INTEGER);
    const toleratedFailurePercentage = optionalPercentage(body);
    const mapRun = mapRunOrThrow(ctx, arn);
    if (maxConcurrency === undefined && toleratedFailureCount === undefined && toleratedFailurePercentage === undefined) {
      throw new ApiError("ValidationException", "At least one of maxConcurrency, toleratedFailureCount or toleratedFailurePercentage must be provided");
    }
    if (mapRun.status !== "RUNNING") throw new ApiError("ValidationException", `Map Run is ${mapRun.status} and cannot be updated: '${arn}'`);
    ctx.engine.updateMapRun(mapRun, {
      ...(maxConcurrency !== undefined ? { maxConcurrency } : {}),
      ...(toleratedFailureCount !== undefined ? { toleratedFailureCount } : {}),
      ...(toleratedFailurePercentage !== undefined ? { toleratedFailurePercentage } : {}),
    });
    return {};
  },
};
