/**
 * Wait: https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html
 * The delay becomes a `scheduleTimer` effect; the engine sends `timer.fired` when due.
 */
import { StatesError, STATES_ERRORS } from "../../errors.js";
import type { Json } from "../../json.js";
import type { QueryLanguage, WaitState } from "../../asl/model.js";
import { compileReference } from "../../query/reference.js";
import { compileJsonataValue, evaluateJsonataExpecting } from "../../query/jsonata.js";
import type { ActorData } from "../actor-data.js";
import { EVENTS } from "../events.js";
import { raise, toFailure } from "../error-handling.js";
import { compileStateIO } from "../state-io.js";
import { bindingsOf, effect, enterState, exitState, newId, scopeOf, type CompileServices, type StateBehaviour } from "../step.js";
import { parseIsoTimestamp } from "./timestamp.js";

/** AWS rejects delays that do not fit a signed 32-bit number of seconds. */
const MAX_DELAY_SECONDS = 2_147_483_647;

type DueAt = (d: ActorData, effective: Json) => number;

const runtimeError = (message: string): StatesError => new StatesError(STATES_ERRORS.Runtime, message);
const queryError = (message: string): StatesError => new StatesError(STATES_ERRORS.QueryEvaluationError, message);

function secondsDue(d: ActorData, seconds: number): number {
  if (seconds > MAX_DELAY_SECONDS) throw runtimeError("Wait state delay is too long.");
  return d.now + seconds * 1000;
}

function timestampDue(d: ActorData, ms: number): number {
  if ((ms - d.now) / 1000 > MAX_DELAY_SECONDS) throw runtimeError("Wait state delay is too long.");
  return ms;
}

function compileDue(s: WaitState, language: QueryLanguage, services: CompileServices): DueAt {
  if (language === "JSONata") return compileJsonataDue(s, services);
  if (typeof s.Seconds === "number") return (d) => secondsDue(d, s.Seconds as number);
  if (s.Timestamp !== undefined) {
    const ms = parseIsoTimestamp(s.Timestamp);
    return (d) => timestampDue(d, ms ?? d.now);
  }
  if (s.SecondsPath !== undefined) {
    const ref = compileReference(s.SecondsPath);
    return (d, eff) => {
      const v = ref.get(scopeOf(d, eff, services));
      if (typeof v !== "number" || !Number.isInteger(v)) {
        throw runtimeError(`The SecondsPath parameter cannot be parsed as a long value: ${s.SecondsPath} == ${JSON.stringify(v ?? null)}`);
      }
      if (v < 0) throw runtimeError(`The SecondsPath parameter references a negative value: ${s.SecondsPath} == ${v}`);
      return secondsDue(d, v);
    };
  }
  const ref = compileReference(s.TimestampPath as string);
  return (d, eff) => {
    const v = ref.get(scopeOf(d, eff, services));
    const ms = typeof v === "string" ? parseIsoTimestamp(v) : undefined;
    if (ms === undefined) {
      throw runtimeError(
        `The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: ${s.TimestampPath} == ${typeof v === "string" ? v : JSON.stringify(v ?? null)}`,
      );
    }
    return timestampDue(d, ms);
  };
}

function compileJsonataDue(s: WaitState, services: CompileServices): DueAt {
  if (s.Seconds !== undefined) {
    const seconds = compileJsonataValue(s.Seconds as Json, "Seconds");
    return (d) => {
      const v = evaluateJsonataExpecting(seconds, bindingsOf(d, services), "integer");
      if (v < 0) throw queryError(`The Seconds field cannot be negative: ${v}`);
      return secondsDue(d, v);
    };
  }
  const ts = compileJsonataValue(s.Timestamp as Json, "Timestamp");
  return (d) => {
    const v = ts.evaluate(bindingsOf(d, services));
    const ms = typeof v === "string" ? parseIsoTimestamp(v) : undefined;
    if (ms === undefined) {
      throw queryError(`The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${typeof v === "string" ? v : JSON.stringify(v)}`);
    }
    return timestampDue(d, ms);
  };
}

export function buildWait(name: string, s: WaitState, language: QueryLanguage, services: CompileServices): StateBehaviour {
  const io = compileStateIO(s, language, { defaultOutput: "input" });
  const due = compileDue(s, language, services);
  const leave = (d: ActorData): void => {
    try {
      const { output, assigned } = io.finish(d, io.effectiveInput(d, services), services);
      exitState(d, "Wait", output, s.Next, assigned);
    } catch (e) {
      raise(d, toFailure(d, e), services);
    }
  };
  return {
    name,
    type: "Wait",
    targets: s.Next ? [s.Next] : [],
    enter(d) {
      enterState(d, "Wait");
      let dueAt: number;
      try {
        dueAt = due(d, io.effectiveInput(d, services));
      } catch (e) {
        return raise(d, toFailure(d, e), services);
      }
      if (dueAt <= d.now) return leave(d);
      const timerId = newId(d, "wait");
      effect(d, { type: "scheduleTimer", timerId, dueAt });
      d.waiting = { kind: "timer", timerId, purpose: "wait" };
    },
    handle(d, event) {
      if (event.type === EVENTS.timerFired && d.waiting?.kind === "timer" && d.waiting.timerId === event.timerId) leave(d);
    },
  };
}
