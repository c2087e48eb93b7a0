/**
 * Parallel: https://docs.aws.amazon.com/step-functions/latest/dg/state-parallel.html
 * Each branch runs as a child actor of the same execution (ARCHITECTURE.md); the first
 * branch failure stops the others and fails the state (then Retry/Catch apply). A redriven
 * Parallel re-runs only the branches that did not succeed
 * (https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html).
 */
import type { Json, JsonObject } from "../../json.js";
import type { ParallelState, QueryLanguage } from "../../asl/model.js";
import { compileCatchers } from "../../dataflow/catch.js";
import { compileRetriers } from "../../dataflow/retry.js";
import type { ActorData, ResumePoint } from "../actor-data.js";
import { EVENTS } from "../events.js";
import { routeChildStateEvent, type ChildEvent } from "../children.js";
import { raise, toFailure, type Recovery } from "../error-handling.js";
import { asJson, childResumePoints } from "../resume.js";
import { compileStateIO } from "../state-io.js";
import { effect, emit, enterState, exitState, newId, type CompileServices, type StateBehaviour } from "../step.js";

/** A Parallel's progress in `scratch`. */
interface Branches extends JsonObject {
  results: Json[];
  /** Which branches succeeded: a redrive re-runs only the others. */
  succeeded: boolean[];
  remaining: number;
  /** Where the branch that failed stopped, by index (a redrive resumes it there). */
  resumeAt: JsonObject;
}

export function buildParallel(
  name: string,
  s: ParallelState,
  language: QueryLanguage,
  services: CompileServices,
  branchScopes: readonly string[],
): StateBehaviour {
  const io = compileStateIO(s, language, { parametersField: language === "JSONata" ? "Arguments" : "Parameters", defaultOutput: "result" });
  const recovery: Recovery = { type: "Parallel", language, retriers: compileRetriers(s.Retry), catchers: compileCatchers(s.Catch, language) };

  /** Starts every branch that has not succeeded yet; `from`: where redriven branches resume. */
  const launch = (d: ActorData, last: { results: Json[]; succeeded: boolean[] }, from: Record<string, ResumePoint>): void => {
    const input = io.parameters(d, io.effectiveInput(d, services), services);
    emit(d, "ParallelStateStarted");
    const batch = newId(d, "branches");
    branchScopes.forEach((scope, index) => {
      if (last.succeeded[index]) return;
      const at = from[String(index)];
      effect(d, { type: "startChild", batch, index, scope, input: at ? at.input : input, vars: at ? at.vars : d.vars, ...(at ? { resume: at } : {}) });
    });
    const branches: Branches = { results: last.results, succeeded: last.succeeded, remaining: last.succeeded.filter((ok) => !ok).length, resumeAt: {} };
    d.scratch = branches;
    d.waiting = { kind: "children", batch };
    if (branches.remaining === 0) finish(d, branches.results);
  };

  const start = (d: ActorData): void => {
    try {
      launch(d, { results: branchScopes.map(() => null), succeeded: branchScopes.map(() => false) }, {});
    } catch (e) {
      raise(d, toFailure(d, e), services, recovery);
    }
  };

  /** A redrive: the branches that succeeded keep their results; the others run again. */
  const resume = (d: ActorData, from: ResumePoint): void => {
    const last = from.scratch as Partial<Branches>;
    if (!Array.isArray(last.results) || !Array.isArray(last.succeeded)) return start(d);
    try {
      launch(d, { results: last.results.slice(), succeeded: last.succeeded.slice() }, childResumePoints(from));
    } catch (e) {
      raise(d, toFailure(d, e), services, recovery);
    }
  };

  const finish = (d: ActorData, results: Json[]): void => {
    // AWS links ParallelStateExited to what ParallelStateSucceeded links to (the last branch's last event).
    const link = d.prev;
    emit(d, "ParallelStateSucceeded");
    d.prev = link;
    try {
      const { output, assigned } = io.finish(d, results, services);
      exitState(d, "Parallel", output, s.End ? undefined : s.Next, assigned);
    } catch (e) {
      raise(d, toFailure(d, e), services, recovery);
    }
  };

  const onChild = (d: ActorData, ev: ChildEvent): void => {
    d.prev = ev.lastEventId;
    const branches = d.scratch as Branches;
    if (ev.type === EVENTS.childFailed) {
      if (ev.resume) d.scratch = { ...branches, resumeAt: asJson({ [String(ev.index)]: ev.resume }) };
      effect(d, { type: "stopChildren", batch: ev.batch });
      emit(d, "ParallelStateFailed");
      return raise(d, { error: ev.error, cause: ev.cause }, services, recovery);
    }
    branches.results[ev.index] = ev.output;
    branches.succeeded[ev.index] = true;
    branches.remaining--;
    if (branches.remaining > 0) return;
    finish(d, branches.results);
  };

  return {
    name,
    type: "Parallel",
    targets: [...(s.Next ? [s.Next] : []), ...recovery.catchers.map((c) => c.next)],
    enter(d, from) {
      enterState(d, "Parallel");
      if (from) resume(d, from);
      else start(d);
    },
    handle(d, ev) {
      routeChildStateEvent(d, ev, start, onChild);
    },
  };
}
