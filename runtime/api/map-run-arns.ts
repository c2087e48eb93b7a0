/**
 * Map run ARNs as DescribeMapRun, UpdateMapRun and ListExecutions (mapRunArn) read them:
 * `arn:<partition>:states:<region>:<account>:mapRun:<state machine>/<label>:<id>`.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeMapRun.html
 */
import type { MapRun } from "../engine/map-run.js";
import { readImage } from "../engine/persistence/run-image.js";
import type { ApiContext } from "./context.js";
import { ApiError, invalidArn } from "./errors.js";

const ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:([A-Za-z]+):(.+)$/;
const RUN = /^[^:\s/]+\/[^:\s/]+:[^:\s]+$/;

/** The map run with this ARN; InvalidArn or ResourceNotFound otherwise. */
export function mapRunOrThrow(ctx: ApiContext, arn: string): MapRun {
  checkMapRunArn(arn);
  const mapRun = ctx.engine.getMapRun(arn);
  if (!mapRun) throw new ApiError("ResourceNotFound", `Resource not found: '${arn}'`);
  return mapRun;
}

/**
 * The map run with this ARN, read back from the store when its execution has left memory
 * (it finished): found through one of its child executions, whose stored image names the
 * parent. A map run that started no child execution is not found once its execution left.
 */
export async function findMapRunOrThrow(ctx: ApiContext, arn: string): Promise<MapRun> {
  checkMapRunArn(arn);
  const known = ctx.engine.getMapRun(arn);
  if (known && ctx.engine.sharesStore) return refreshed(ctx, known);
  if (known) return known;
  const store = ctx.engine.store;
  const child = store ? (await store.listExecutions({ arn, limit: 1 })).items[0] : undefined;
  const stored = child && store ? await store.load(child.executionArn) : undefined;
  const parentArn = stored && child ? readImage(stored.state, child.executionArn).parent?.arn : undefined;
  const parent = parentArn !== undefined ? await ctx.engine.loadExecution(parentArn) : undefined;
  const mapRun = parent?.mapRuns.get(arn);
  if (!mapRun) throw new ApiError("ResourceNotFound", `Resource not found: '${arn}'`);
  return ctx.engine.sharesStore ? readChildren(ctx, mapRun) : mapRun;
}

/**
 * Shared stores: the map run as its parent is stored now (another node may have moved it
 * on), with its running children read again too (their counts make its own).
 */
async function refreshed(ctx: ApiContext, cached: MapRun): Promise<MapRun> {
  const parent = await ctx.engine.loadExecution(cached.execution.info.arn);
  return readChildren(ctx, parent?.mapRuns.get(cached.arn) ?? cached);
}

async function readChildren(ctx: ApiContext, mapRun: MapRun): Promise<MapRun> {
  for (const [index, arn] of mapRun.childArns.entries()) {
    const child = mapRun.children[index];
    // Finished children do not change; one not in memory was not stored yet when its parent was read.
    if (arn === undefined || (child && child.status !== "RUNNING")) continue;
    const read = await ctx.engine.loadExecution(arn);
    if (read) mapRun.children[index] = read;
  }
  return mapRun;
}

function checkMapRunArn(arn: string): void {
  const m = ARN.exec(arn);
  if (!m) throw invalidArn(arn);
  const [, resourceType = "", rest = ""] = m;
  if (resourceType !== "mapRun") {
    throw new ApiError("InvalidArn", `Invalid Arn: 'Resource type not valid in this context: ${resourceType.toLowerCase()}'`);
  }
  if (!RUN.test(rest)) throw invalidArn(arn);
}
