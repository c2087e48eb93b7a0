/**
 * Redrive's resume points: where an actor that did not succeed starts again, and where each
 * of a Map's or Parallel's unsuccessful children does.
 * https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html
 */
import type { JsonObject } from "../json.js";
import type { ActorData, ResumePoint } from "./actor-data.js";

/** The current state of `d`, its raw input, variables and working data; `running`: its live children's resume points. */
export function resumePointOf(d: ActorData, running?: Readonly<Record<string, ResumePoint>>): ResumePoint {
  const point = { state: d.state, input: d.input, vars: d.vars, scratch: d.scratch };
  return running && Object.keys(running).length > 0 ? { ...point, running } : point;
}

/**
 * Where the children of a Map or Parallel resume, by index: those that failed last time
 * (kept in its progress as `resumeAt`) and those still running when the execution stopped.
 * A child with no entry starts from its beginning.
 */
export function childResumePoints(resume: ResumePoint): Record<string, ResumePoint> {
  const failed = (resume.scratch["resumeAt"] ?? {}) as unknown as Record<string, ResumePoint>;
  return { ...failed, ...(resume.running ?? {}) };
}

/** A resume point as JSON, to keep in a state's progress. */
export const asJson = (points: Record<string, ResumePoint>): JsonObject => points as unknown as JsonObject;
