/**
 * Map: https://docs.aws.amazon.com/step-functions/latest/dg/state-map.html
 * Iterations run as child actors (inline), or as child executions of a map run (distributed,
 * map-run.ts); MaxConcurrency and failure tolerance are this state's bookkeeping, kept in
 * `scratch`. A redriven Map re-runs only the iterations that did not succeed; the others keep
 * their results (https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html).
 */
import { STATES_ERRORS } from "../../errors.js";
import type { Json, JsonObject } from "../../json.js";
import type { MapState, QueryLanguage } from "../../asl/model.js";
import { compileCatchers } from "../../dataflow/catch.js";
import { compileRetriers } from "../../dataflow/retry.js";
import type { ActorData, ResumePoint } from "../actor-data.js";
import { EVENTS, type ActorEvent } from "../events.js";
import { routeChildStateEvent, type ChildEvent } from "../children.js";
import { raise, toFailure, willRetry, type Recovery } from "../error-handling.js";
import { asJson, childResumePoints } from "../resume.js";
import { compileStateIO } from "../state-io.js";
import { effect, emit, enterState, exitState, newId, type CompileServices, type StateBehaviour } from "../step.js";
import { compileItemInput, compileItems } from "./map-items.js";
import { compileMapSettings, exceedsTolerance, type MapSettings } from "./map-settings.js";
import { mapRunArn, mapRunFailed, mapRunSucceeded, openMapRun, updatedSettings } from "./map-run.js";

/** TestState's Map (translators/test-state) evaluates items the same way. */
export { compileItemInput, compileItems };

interface Progress extends JsonObject {
  batch: string;
  items: Json[];
  effective: Json;
  next: number;
  running: number;
  done: number;
  failed: number;
  results: Json[];
  /** Which iterations succeeded: a redrive re-runs only the others. */
  succeeded: boolean[];
  /** Inline: where each unsuccessful iteration stopped, by index (a redrive resumes it there). */
  resumeAt: JsonObject;
  settings: JsonObject;
  /** The latest MapIterationSucceeded event: AWS links MapStateSucceeded and MapStateExited to it. */
  lastIterationEvent?: number;
  /** Distributed: which iterations of this batch have ended (a child's end can arrive twice in distributed mode). */
  ended?: boolean[];
  /** Distributed: the map run, and how many times it has been redriven. */
  mapRunArn?: string;
  mapRunRedrives?: number;
}

type MapRunUpdate = Extract<ActorEvent, { type: typeof EVENTS.mapRunUpdated }>;

export function buildMap(name: string, s: MapState, language: QueryLanguage, services: CompileServices, processorScope: string): StateBehaviour {
  const io = compileStateIO(s, language, { defaultOutput: "result" });
  const items = compileItems(s, language, services);
  const itemInput = compileItemInput(s, language, services);
  const settingsOf = compileMapSettings(s, language, services);
  const distributed = (s.ItemProcessor ?? s.Iterator)?.ProcessorConfig?.Mode === "DISTRIBUTED";
  const recovery: Recovery = { type: "Map", language, retriers: compileRetriers(s.Retry), catchers: compileCatchers(s.Catch, language) };

  /** Starts iterations up to MaxConcurrency, skipping those that succeeded before a redrive. */
  const launch = (d: ActorData, p: Progress): void => {
    const max = (p.settings as unknown as MapSettings).maxConcurrency;
    while (p.next < p.items.length && (max === 0 || p.running < max)) {
      const index = p.next++;
      if (p.succeeded[index]) continue;
      p.running++;
      // A Distributed Map's iterations are child executions: the parent's history shows the map run only.
      if (distributed) {
        const input = itemInput(d, p.effective, index, p.items[index] as Json);
        effect(d, { type: "startChild", batch: p.batch, index, scope: processorScope, input, vars: d.vars, mapRunArn: p.mapRunArn as string });
        continue;
      }
      emit(d, "MapIterationStarted", { index, name: d.state });
      const from = (p.resumeAt as unknown as Record<string, ResumePoint>)[String(index)];
      delete p.resumeAt[String(index)];
      const input = from ? from.input : itemInput(d, p.effective, index, p.items[index] as Json);
      effect(d, { type: "startChild", batch: p.batch, index, scope: processorScope, input, vars: from ? from.vars : d.vars, ...(from ? { resume: from } : {}) });
    }
  };

  const complete = (d: ActorData, p: Progress): void => {
    if (distributed) d.prev = mapRunSucceeded(d, p.mapRunArn as string);
    const link = p.lastIterationEvent ?? d.prev;
    emit(d, "MapStateSucceeded", undefined, link);
    d.prev = link;
    const { output, assigned } = io.finish(d, p.results, services);
    exitState(d, "Map", output, s.End ? undefined : s.Next, assigned);
  };

  /** Waits for the iterations of `p` (a new batch), starting the first ones. */
  const run = (d: ActorData, p: Progress): void => {
    d.scratch = p;
    d.waiting = { kind: "children", batch: p.batch };
    if (p.done === p.items.length) return complete(d, p);
    launch(d, p);
  };

  const start = (d: ActorData): void => {
    try {
      const effective = io.effectiveInput(d, services);
      // A Distributed Map checks its settings after MapStateStarted (AWS's recorded order).
      let settings: ReturnType<typeof settingsOf> | undefined;
      if (!distributed) settings = settingsOf(d, effective);
      const list = items(d, effective);
      emit(d, "MapStateStarted", { length: list.length });
      settings ??= settingsOf(d, effective);
      const batch = newId(d, "iterations");
      const p: Progress = {
        batch, items: list, effective, next: 0, running: 0, done: 0, failed: 0, results: list.map(() => null),
        succeeded: list.map(() => false), resumeAt: {}, settings: { ...settings } as unknown as JsonObject,
      };
      if (distributed) {
        p.mapRunArn = mapRunArn(d, s.Label ?? d.state, services.randomness.uuid());
        p.mapRunRedrives = 0;
        openMapRun(d, s, { arn: p.mapRunArn, batch, total: list.length, settings, redriveCount: 0 });
      }
      run(d, p);
    } catch (e) {
      raise(d, toFailure(d, e), services, recovery);
    }
  };

  /** A redrive: the same items (and map run), re-running the iterations that did not succeed. */
  const resume = (d: ActorData, from: ResumePoint): void => {
    const last = from.scratch as Partial<Progress>;
    if (!Array.isArray(last.items) || !Array.isArray(last.succeeded) || !Array.isArray(last.results)) return start(d);
    try {
      emit(d, "MapStateStarted", { length: last.items.length });
      const batch = newId(d, "iterations");
      const succeeded = last.succeeded.slice();
      const p: Progress = {
        batch, items: last.items, effective: last.effective ?? null, next: 0, running: 0, done: succeeded.filter(Boolean).length, failed: 0,
        results: last.results.slice(), succeeded, resumeAt: asJson(childResumePoints(from)), settings: last.settings ?? {},
      };
      if (distributed && last.mapRunArn !== undefined) {
        p.mapRunArn = last.mapRunArn;
        p.mapRunRedrives = (last.mapRunRedrives ?? 0) + 1;
        const settings = p.settings as unknown as MapSettings;
        openMapRun(d, s, { arn: p.mapRunArn, batch, total: p.items.length, settings, redriveCount: p.mapRunRedrives });
      }
      run(d, p);
    } catch (e) {
      raise(d, toFailure(d, e), services, recovery);
    }
  };

  /** Too many iterations failed: stop the others and fail the Map (Retry/Catch then apply). */
  const failMap = (d: ActorData, p: Progress, ev: ChildEvent & { error?: string | undefined; cause?: string | undefined }): void => {
    effect(d, { type: "stopChildren", batch: p.batch });
    const settings = p.settings as unknown as MapSettings;
    const tolerated = settings.toleratedCount !== undefined || settings.toleratedPercentage !== undefined;
    const failure = tolerated
      ? { error: STATES_ERRORS.ExceedToleratedFailureThreshold, cause: "The specified tolerated failure threshold was exceeded" }
      : { error: ev.error, cause: ev.cause };
    // A Map about to be retried writes no MapStateFailed: its next MapStateStarted follows.
    const recorded = !willRetry(d, failure, recovery);
    if (distributed) {
      mapRunFailed(d, p.mapRunArn as string, failure, recorded);
      if (recorded) emit(d, "MapStateFailed");
    } else if (recorded) emit(d, "MapStateFailed", undefined, ev.lastEventId);
    raise(d, failure, services, recovery);
  };

  const onChild = (d: ActorData, ev: ChildEvent): void => {
    const p = d.scratch as Progress;
    if (distributed) {
      if (p.ended?.[ev.index]) return;
      (p.ended ??= p.items.map(() => false))[ev.index] = true;
    }
    p.running--;
    // AWS links the next event to the iteration's last one (a Distributed Map's iterations are not in this history).
    const iterationEvent = (type: string): number | undefined => {
      if (distributed) return undefined;
      d.prev = ev.lastEventId;
      const id = emit(d, type, { index: ev.index, name: d.state });
      d.prev = ev.lastEventId;
      return id;
    };
    if (ev.type === EVENTS.childSucceeded) {
      const id = iterationEvent("MapIterationSucceeded");
      if (id !== undefined) p.lastIterationEvent = id;
      p.results[ev.index] = ev.output;
      p.succeeded[ev.index] = true;
      p.done++;
    } else {
      iterationEvent("MapIterationFailed");
      p.failed++;
      p.done++;
      p.results[ev.index] = { Error: ev.error ?? null, Cause: ev.cause ?? null };
      if (ev.resume && !distributed) p.resumeAt[String(ev.index)] = ev.resume as unknown as JsonObject;
      if (exceedsTolerance(p.settings as unknown as MapSettings, p.failed, p.items.length)) return failMap(d, p, ev);
    }
    try {
      if (p.done === p.items.length) return complete(d, p);
      launch(d, p);
    } catch (e) {
      raise(d, toFailure(d, e), services, recovery);
    }
  };

  /** UpdateMapRun: the new settings apply to the iterations not started yet. */
  const onUpdate = (d: ActorData, ev: MapRunUpdate): void => {
    const p = d.scratch as Progress;
    if (!distributed || d.waiting?.kind !== "children" || p.mapRunArn !== ev.mapRunArn) return;
    p.settings = updatedSettings(p.settings as unknown as MapSettings, ev);
    try {
      launch(d, p);
    } catch (e) {
      raise(d, toFailure(d, e), services, recovery);
    }
  };

  return {
    name,
    type: "Map",
    targets: [...(s.Next ? [s.Next] : []), ...recovery.catchers.map((c) => c.next)],
    enter(d, from) {
      enterState(d, "Map");
      if (from) resume(d, from);
      else start(d);
    },
    handle(d, ev) {
      if (ev.type === EVENTS.mapRunUpdated) return onUpdate(d, ev);
      routeChildStateEvent(d, ev, start, onChild);
    },
  };
}
