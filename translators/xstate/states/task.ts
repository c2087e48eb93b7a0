/**
 * Task: https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html
 * Entering dispatches the task as an effect; results, timeouts and heartbeats come back as
 * events. Bare Lambda ARNs record LambdaFunction* events, activities Activity*, the rest Task*.
 */
import { StatesError, STATES_ERRORS } from "../../errors.js";
import type { Json, JsonObject } from "../../json.js";
import type { QueryLanguage, TaskState } from "../../asl/model.js";
import { compileCatchers } from "../../dataflow/catch.js";
import { parseResource, type ResourceInfo } from "../../dataflow/resource.js";
import { compileRetriers } from "../../dataflow/retry.js";
import { compileReference } from "../../query/reference.js";
import { compileJsonataValue } from "../../query/jsonata.js";
import type { ActorData } from "../actor-data.js";
import { EVENTS, type ActorEvent } from "../events.js";
import { raise, toFailure, type Recovery } from "../error-handling.js";
import { checkSize, compileStateIO } from "../state-io.js";
import { bindingsOf, contextObject, effect, emit, enterState, exitState, jsonText, newId, NOT_TRUNCATED, scopeOf, type CompileServices, type StateBehaviour } from "../step.js";
import { newTaskToken } from "../task-token.js";

type Seconds = (d: ActorData, effective: Json) => number | undefined;

function compileSeconds(value: number | string | undefined, path: string | undefined, field: string, language: QueryLanguage, services: CompileServices): Seconds {
  if (typeof value === "number") return () => value;
  if (typeof value === "string" && language === "JSONata") {
    const expr = compileJsonataValue(value, field);
    return (d) => positiveInteger(expr.evaluate(bindingsOf(d, services)), field);
  }
  if (path === undefined) return () => undefined;
  const ref = compileReference(path);
  return (d, eff) => positiveInteger(ref.get(scopeOf(d, eff, services)), `${field}Path`);
}

function positiveInteger(v: Json | undefined, field: string): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1) {
    throw new StatesError(STATES_ERRORS.Runtime, `The ${field} field must be a positive integer, but was: ${JSON.stringify(v ?? null)}`);
  }
  return v;
}

/** History event names and detail fields for the resource's kind. */
function taskEvents(info: ResourceInfo) {
  const ids = { resourceType: info.resourceType, resource: info.resource };
  if (info.kind === "lambda-function") {
    return {
      scheduled: (p: Json, region: string, t?: number): [string, JsonObject] => ["LambdaFunctionScheduled", { resource: info.arn, input: jsonText(p), inputDetails: NOT_TRUNCATED, ...(t ? { timeoutInSeconds: t } : {}) }],
      started: (_w?: string): [string, JsonObject | undefined] => ["LambdaFunctionStarted", undefined],
      submitted: undefined,
      succeeded: (o: Json): [string, JsonObject] => ["LambdaFunctionSucceeded", { output: jsonText(o), outputDetails: NOT_TRUNCATED }],
      failed: (e: JsonObject): [string, JsonObject] => ["LambdaFunctionFailed", e],
      timedOut: (e: JsonObject): [string, JsonObject] => ["LambdaFunctionTimedOut", e],
    };
  }
  if (info.kind === "activity") {
    return {
      scheduled: (p: Json, _r: string, t?: number, h?: number): [string, JsonObject] => ["ActivityScheduled", { resource: info.arn, input: jsonText(p), inputDetails: NOT_TRUNCATED, ...(t ? { timeoutInSeconds: t } : {}), ...(h ? { heartbeatInSeconds: h } : {}) }],
      started: (workerName?: string): [string, JsonObject | undefined] => ["ActivityStarted", workerName !== undefined ? { workerName } : {}],
      submitted: undefined,
      succeeded: (o: Json): [string, JsonObject] => ["ActivitySucceeded", { output: jsonText(o), outputDetails: NOT_TRUNCATED }],
      failed: (e: JsonObject): [string, JsonObject] => ["ActivityFailed", e],
      timedOut: (e: JsonObject): [string, JsonObject] => ["ActivityTimedOut", e],
    };
  }
  return {
    scheduled: (p: Json, region: string, t?: number, h?: number): [string, JsonObject] => ["TaskScheduled", { ...ids, region, parameters: jsonText(p), ...(t ? { timeoutInSeconds: t } : {}), ...(h ? { heartbeatInSeconds: h } : {}) }],
    started: (_w?: string): [string, JsonObject | undefined] => ["TaskStarted", ids],
    /** `.sync` and `.waitForTaskToken` only: the request went through, the result comes later. */
    submitted: info.pattern === "request-response" ? undefined : (o: Json): [string, JsonObject] => ["TaskSubmitted", { ...ids, output: jsonText(o), outputDetails: NOT_TRUNCATED }],
    succeeded: (o: Json): [string, JsonObject] => ["TaskSucceeded", { ...ids, output: jsonText(o), outputDetails: NOT_TRUNCATED }],
    failed: (e: JsonObject): [string, JsonObject] => ["TaskFailed", { ...ids, ...e }],
    timedOut: (e: JsonObject): [string, JsonObject] => ["TaskTimedOut", { ...ids, ...e }],
  };
}

const errorDetails = (error: string | undefined, cause: string | undefined): JsonObject => ({
  ...(error !== undefined ? { error } : {}),
  ...(cause !== undefined ? { cause } : {}),
});

export function buildTask(name: string, s: TaskState, language: QueryLanguage, services: CompileServices): StateBehaviour {
  const io = compileStateIO(s, language, { parametersField: language === "JSONata" ? "Arguments" : "Parameters", defaultOutput: "result" });
  const info = parseResource(s.Resource);
  const events = taskEvents(info);
  const timeout = compileSeconds(s.TimeoutSeconds, s.TimeoutSecondsPath, "TimeoutSeconds", language, services);
  const heartbeat = compileSeconds(s.HeartbeatSeconds, s.HeartbeatSecondsPath, "HeartbeatSeconds", language, services);
  const recovery: Recovery = { type: "Task", language, retriers: compileRetriers(s.Retry), catchers: compileCatchers(s.Catch, language) };
  const region = (d: ActorData): string => info.region ?? String(d.exec.StateMachine["Id"] ?? "").split(":")[3] ?? "us-east-1";

  const schedule = (d: ActorData): void => {
    try {
      const newToken = (): string => newTaskToken(String(d.exec.Execution["Id"]), () => services.randomness.uuid());
      const token = info.pattern === "waitForTaskToken" ? newToken() : undefined;
      // Without a token, Parameters build the usual `$$` themselves, and only if they read it.
      const context = token ? contextObject(d, { Task: { Token: token } }) : undefined;
      const effective = io.effectiveInput(d, services);
      const params = io.parameters(d, effective, services, context);
      checkSize(params, "state input after Parameters");
      const t = timeout(d, effective);
      const h = heartbeat(d, effective);
      const [type, details] = events.scheduled(params, region(d), t, h);
      emit(d, type, details);
      const taskId = newId(d, "task");
      // An activity's worker gets a token too (not in $$: AWS gives activities none), stored with the task.
      const activityToken = info.kind === "activity" ? newToken() : undefined;
      const timerIds: string[] = [];
      if (t !== undefined) timerIds.push(armTimer(d, `${taskId}:timeout`, t));
      if (h !== undefined) timerIds.push(armTimer(d, `${taskId}:heartbeat`, h));
      effect(d, {
        type: "dispatchTask", taskId, resource: s.Resource, payload: params, stateName: d.state,
        ...(token ? { taskToken: token } : {}), ...(activityToken ? { activityToken } : {}), ...(t ? { timeoutSeconds: t } : {}), ...(h ? { heartbeatSeconds: h } : {}),
      });
      d.waiting = { kind: "task", taskId, timerIds };
      d.scratch = { heartbeat: h ?? null };
    } catch (e) {
      raise(d, toFailure(d, e), services, recovery);
    }
  };

  const settle = (d: ActorData): void => {
    if (d.waiting?.kind === "task") for (const timerId of d.waiting.timerIds) effect(d, { type: "cancelTimer", timerId });
  };

  const onResult = (d: ActorData, output: Json): void => {
    settle(d);
    try {
      checkSize(output);
      const [type, details] = events.succeeded(output);
      emit(d, type, details);
      const { output: out, assigned } = io.finish(d, output, services);
      exitState(d, "Task", out, s.End ? undefined : s.Next, assigned);
    } catch (e) {
      raise(d, toFailure(d, e), services, recovery);
    }
  };

  const onFailure = (d: ActorData, error: string | undefined, cause: string | undefined, timedOut: boolean): void => {
    settle(d);
    const [type, details] = timedOut ? events.timedOut(errorDetails(error, cause)) : events.failed(errorDetails(error, cause));
    emit(d, type, details);
    raise(d, { error, cause }, services, recovery);
  };

  return {
    name,
    type: "Task",
    targets: [...(s.Next ? [s.Next] : []), ...recovery.catchers.map((c) => c.next)],
    enter(d) {
      enterState(d, "Task");
      schedule(d);
    },
    handle(d, ev) {
      handleTaskEvent(d, ev, {
        schedule, onResult, onFailure,
        started: (workerName) => {
          const [t, x] = events.started(workerName);
          emit(d, t, x);
        },
        submitted: (output) => {
          // Once per attempt: a request sent again after a restart records no second one.
          if (!events.submitted || d.scratch["submitted"] === true) return;
          d.scratch = { ...d.scratch, submitted: true };
          const [t, x] = events.submitted(output);
          emit(d, t, x);
        },
      });
    },
  };
}

interface TaskHandlers {
  schedule(d: ActorData): void;
  onResult(d: ActorData, output: Json): void;
  onFailure(d: ActorData, error: string | undefined, cause: string | undefined, timedOut: boolean): void;
  /** `workerName`: the activity worker that took the task (ActivityStarted records it). */
  started(workerName: string | undefined): void;
  /** The integration's response to a `.sync`/`.waitForTaskToken` request (TaskSubmitted records it). */
  submitted(output: Json): void;
}

function armTimer(d: ActorData, timerId: string, seconds: number): string {
  effect(d, { type: "scheduleTimer", timerId, dueAt: d.now + seconds * 1000 });
  return timerId;
}

function handleTaskEvent(d: ActorData, ev: ActorEvent, h: TaskHandlers): void {
  const w = d.waiting;
  if (ev.type === EVENTS.timerFired) {
    if (w?.kind === "timer" && w.purpose === "retry" && w.timerId === ev.timerId) return h.schedule(d);
    if (w?.kind !== "task" || !w.timerIds.includes(ev.timerId)) return;
    if (ev.timerId.endsWith(":heartbeat")) return h.onFailure(d, STATES_ERRORS.HeartbeatTimeout, undefined, true);
    return h.onFailure(d, STATES_ERRORS.Timeout, undefined, true);
  }
  if (w?.kind !== "task" || !("taskId" in ev) || ev.taskId !== w.taskId) return;
  switch (ev.type) {
    case EVENTS.taskStarted:
      return h.started(ev.workerName);
    case EVENTS.taskSubmitted:
      return h.submitted(ev.output);
    case EVENTS.taskSucceeded:
      return h.onResult(d, ev.output);
    case EVENTS.taskFailed:
      return h.onFailure(d, ev.error, ev.cause, false);
    case EVENTS.taskHeartbeat: {
      const seconds = d.scratch["heartbeat"];
      if (typeof seconds === "number") armTimer(d, `${w.taskId}:heartbeat`, seconds);
      return;
    }
  }
}
