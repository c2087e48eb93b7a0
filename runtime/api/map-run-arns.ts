/**
 * Map run ARNs as DescribeMapRun, UpdateMapRun and ListExecutions (mapRunArn) read them:
 * `arn:<partition>:states:<region>:<account>:mapRun:<state machine>/<label>:<id>`.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeMapRun.html
 */
import type { MapRun } from "../engine/map-run.js";
import type { ApiContext } from "./context.js";
import { ApiError, invalidArn } from "./errors.js";

const ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:([A-Za-z]+):(.+)$/;
const RUN = /^[^:\s/]+\/[^:\s/]+:[^:\s]+$/;

/** The map run with this ARN; InvalidArn or ResourceNotFound otherwise. */
export function mapRunOrThrow(ctx: ApiContext, arn: string): MapRun {
  const m = ARN.exec(arn);
  if (!m) throw invalidArn(arn);
  const [, resourceType = "", rest = ""] = m;
  if (resourceType !== "mapRun") {
    throw new ApiError("InvalidArn", `Invalid Arn: 'Resource type not valid in this context: ${resourceType.toLowerCase()}'`);
  }
  if (!RUN.test(rest)) throw invalidArn(arn);
  const mapRun = ctx.engine.getMapRun(arn);
  if (!mapRun) throw new ApiError("ResourceNotFound", `Resource not found: '${arn}'`);
  return mapRun;
}
