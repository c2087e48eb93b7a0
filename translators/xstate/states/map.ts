/**
 * Map (inline; distributed mode runs the same way for now, without MapRun records):
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-map.html
 * Iterations run as child actors; MaxConcurrency and failure tolerance are this state's
 * bookkeeping, kept in `scratch`.
 */
import { StatesError, STATES_ERRORS } from "../../errors.js";
import type { Json, JsonObject } from "../../json.js";
import type { MapState, QueryLanguage } from "../../asl/model.js";
import { compileCatchers } from "../../dataflow/catch.js";
import { compilePayloadTemplate } from "../../dataflow/payload-template.js";
import { compileRetriers } from "../../dataflow/retry.js";
import { compileSelectPath } from "../../dataflow/paths.js";
import { compileJsonataValue, evaluateJsonataExpecting } from "../../query/jsonata.js";
import type { ActorData } from "../actor-data.js";
import { EVENTS } from "../events.js";
import { routeChildStateEvent, type ChildEvent } from "../children.js";
import { raise, toFailure, willRetry, type Recovery } from "../error-handling.js";
import { compileStateIO } from "../state-io.js";
import { bindingsOf, contextObject, effect, emit, enterState, exitState, newId, scopeOf, type CompileServices, type StateBehaviour } from "../step.js";
import { compileMapSettings, exceedsTolerance, type MapSettings } from "./map-settings.js";

type Items = (d: ActorData, effective: Json) => Json[];
type ItemInput = (d: ActorData, effective: Json, index: number, value: Json) => Json;

export function compileItems(s: MapState, language: QueryLanguage, services: CompileServices): Items {
  if (language === "JSONata" && s.Items !== undefined) {
    const expr = compileJsonataValue(s.Items, "Items");
    return (d) => evaluateJsonataExpecting(expr, bindingsOf(d, services), "array");
  }
  const itemsPath = compileSelectPath(language === "JSONPath" ? s.ItemsPath : undefined);
  return (d, eff) => {
    const v = itemsPath(scopeOf(d, eff, services));
    if (!Array.isArray(v)) {
      const error = language === "JSONata" ? STATES_ERRORS.QueryEvaluationError : STATES_ERRORS.Runtime;
      throw new StatesError(error, `Map state input must be an array but was: ${JSON.stringify(v)}`);
    }
    return v;
  };
}

export function compileItemInput(s: MapState, language: QueryLanguage, services: CompileServices): ItemInput {
  const selector = s.ItemSelector ?? s.Parameters;
  if (selector === undefined) return (_d, _eff, _i, value) => value;
  const itemContext = (d: ActorData, index: number, value: Json): JsonObject => contextObject(d, { Map: { Item: { Index: index, Value: value } } });
  if (language === "JSONata") {
    const expr = compileJsonataValue(selector, "ItemSelector");
    return (d, _eff, index, value) => expr.evaluate(bindingsOf(d, services, { context: itemContext(d, index, value) }));
  }
  const template = compilePayloadTemplate(selector);
  return (d, eff, index, value) => template(scopeOf(d, eff, services, itemContext(d, index, value)));
}

interface Progress extends JsonObject {
  batch: string;
  items: Json[];
  effective: Json;
  next: number;
  running: number;
  done: number;
  failed: number;
  results: Json[];
  settings: JsonObject;
  /** The latest MapIterationSucceeded event: AWS links MapStateSucceeded and MapStateExited to it. */
  lastIterationEvent?: number;
}

/** `arn:…:mapRun:<state machine name>/<label>:<id>`, from the state machine's ARN. */
function mapRunArn(d: ActorData, label: string, id: string): string {
  const stateMachine = String((d.exec.StateMachine as JsonObject)["Id"] ?? "");
  return `${stateMachine.replace(":stateMachine:", ":mapRun:")}/${label}:${id}`;
}

export function buildMap(name: string, s: MapState, language: QueryLanguage, services: CompileServices, processorScope: string): StateBehaviour {
  const io = compileStateIO(s, language, { defaultOutput: "result" });
  const items = compileItems(s, language, services);
  const itemInput = compileItemInput(s, language, services);
  const settingsOf = compileMapSettings(s, language, services);
  const distributed = (s.ItemProcessor ?? s.Iterator)?.ProcessorConfig?.Mode === "DISTRIBUTED";
  const recovery: Recovery = { type: "Map", language, retriers: compileRetriers(s.Retry), catchers: compileCatchers(s.Catch, language) };

  const launch = (d: ActorData, p: Progress): void => {
    const max = (p.settings as unknown as MapSettings).maxConcurrency;
    while (p.next < p.items.length && (max === 0 || p.running < max)) {
      const index = p.next++;
      p.running++;
      // A Distributed Map's iterations are child executions: the parent's history shows the map run only.
      if (!distributed) emit(d, "MapIterationStarted", { index, name: d.state });
      const input = itemInput(d, p.effective, index, p.items[index] as Json);
      effect(d, { type: "startChild", batch: p.batch, index, scope: processorScope, input, vars: d.vars, ...(distributed ? { detached: true } : {}) });
    }
  };

  const complete = (d: ActorData, p: Progress): void => {
    if (distributed) d.prev = emit(d, "MapRunSucceeded");
    const link = p.lastIterationEvent ?? d.prev;
    emit(d, "MapStateSucceeded", undefined, link);
    d.prev = link;
    const { output, assigned } = io.finish(d, p.results, services);
    exitState(d, "Map", output, s.End ? undefined : s.Next, assigned);
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
      if (distributed) emit(d, "MapRunStarted", { mapRunArn: mapRunArn(d, s.Label ?? d.state, services.randomness.uuid()) });
      const batch = newId(d, "iterations");
      const p: Progress = { batch, items: list, effective, next: 0, running: 0, done: 0, failed: 0, results: list.map(() => null), settings: { ...settings } as unknown as JsonObject };
      d.scratch = p;
      d.waiting = { kind: "children", batch };
      if (list.length === 0) return complete(d, p);
      launch(d, p);
    } catch (e) {
      raise(d, toFailure(d, e), services, recovery);
    }
  };

  const onChild = (d: ActorData, ev: ChildEvent): void => {
    const p = d.scratch as Progress;
    p.running--;
    p.done++;
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
    } else {
      iterationEvent("MapIterationFailed");
      p.failed++;
      p.results[ev.index] = { Error: ev.error ?? null, Cause: ev.cause ?? null };
      const settings = p.settings as unknown as MapSettings;
      if (exceedsTolerance(settings, p.failed, p.items.length)) {
        effect(d, { type: "stopChildren", batch: p.batch });
        const tolerated = settings.toleratedCount !== undefined || settings.toleratedPercentage !== undefined;
        const failure = tolerated
          ? { error: STATES_ERRORS.ExceedToleratedFailureThreshold, cause: "The specified tolerated failure threshold was exceeded" }
          : { error: ev.error, cause: ev.cause };
        // A Map about to be retried writes no MapStateFailed: its next MapStateStarted follows.
        if (!willRetry(d, failure, recovery)) {
          if (distributed) {
            const details: JsonObject = {};
            if (failure.error !== undefined) details["error"] = failure.error;
            if (failure.cause !== undefined) details["cause"] = failure.cause;
            emit(d, "MapRunFailed", details);
            emit(d, "MapStateFailed");
          } else emit(d, "MapStateFailed", undefined, ev.lastEventId);
        }
        return raise(d, failure, services, recovery);
      }
    }
    try {
      if (p.done === p.items.length) return complete(d, p);
      launch(d, p);
    } catch (e) {
      raise(d, toFailure(d, e), services, recovery);
    }
  };

  return {
    name,
    type: "Map",
    targets: [...(s.Next ? [s.Next] : []), ...recovery.catchers.map((c) => c.next)],
    enter(d) {
      enterState(d, "Map");
      start(d);
    },
    handle(d, ev) {
      routeChildStateEvent(d, ev, start, onChild);
    },
  };
}
