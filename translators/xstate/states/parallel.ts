/**
 * Parallel: https://docs.aws.amazon.com/step-functions/latest/dg/state-parallel.html
 * Each branch runs as a child actor of the same execution (ARCHITECTURE.md); the first
 * branch failure stops the others and fails the state (then Retry/Catch apply).
 */
import type { Json } from "../../json.js";
import type { ParallelState, QueryLanguage } from "../../asl/model.js";
import { compileCatchers } from "../../dataflow/catch.js";
import { compileRetriers } from "../../dataflow/retry.js";
import type { ActorData } from "../actor-data.js";
import { EVENTS } from "../events.js";
import { routeChildStateEvent, type ChildEvent } from "../children.js";
import { raise, toFailure, type Recovery } from "../error-handling.js";
import { compileStateIO } from "../state-io.js";
import { effect, emit, enterState, exitState, newId, type CompileServices, type StateBehaviour } from "../step.js";

export function buildParallel(
  name: string,
  s: ParallelState,
  language: QueryLanguage,
  services: CompileServices,
  branchScopes: readonly string[],
): StateBehaviour {
  const io = compileStateIO(s, language, { parametersField: language === "JSONata" ? "Arguments" : "Parameters", defaultOutput: "result" });
  const recovery: Recovery = { type: "Parallel", language, retriers: compileRetriers(s.Retry), catchers: compileCatchers(s.Catch, language) };

  const start = (d: ActorData): void => {
    try {
      const input = io.parameters(d, io.effectiveInput(d, services), services);
      emit(d, "ParallelStateStarted");
      const batch = newId(d, "branches");
      branchScopes.forEach((scope, index) => effect(d, { type: "startChild", batch, index, scope, input, vars: d.vars }));
      d.scratch = { results: branchScopes.map(() => null), remaining: branchScopes.length };
      d.waiting = { kind: "children", batch };
    } catch (e) {
      raise(d, toFailure(d, e), services, recovery);
    }
  };

  const onChild = (d: ActorData, ev: ChildEvent): void => {
    d.prev = ev.lastEventId;
    if (ev.type === EVENTS.childFailed) {
      effect(d, { type: "stopChildren", batch: ev.batch });
      emit(d, "ParallelStateFailed");
      return raise(d, { error: ev.error, cause: ev.cause }, services, recovery);
    }
    const results = d.scratch["results"] as Json[];
    results[ev.index] = ev.output;
    const remaining = (d.scratch["remaining"] as number) - 1;
    d.scratch = { results, remaining };
    if (remaining > 0) return;
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

  return {
    name,
    type: "Parallel",
    targets: [...(s.Next ? [s.Next] : []), ...recovery.catchers.map((c) => c.next)],
    enter(d) {
      enterState(d, "Parallel");
      start(d);
    },
    handle(d, ev) {
      routeChildStateEvent(d, ev, start, onChild);
    },
  };
}
