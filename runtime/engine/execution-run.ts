/**
 * One execution: its root actor, the child actors of its Parallel branches and inline Map
 * iterations, the map runs of its Distributed Maps, its history, and the effects its
 * machines ask for. Events reach it one at a time through the engine's queue; each is
 * applied with XState's pure `transition()`. An execution that did not succeed keeps where
 * it stopped, so RedriveExecution can run it again from there.
 */
import type { AnyMachineSnapshot, AnyStateMachine } from "xstate";
import { initialSnapshot, nextSnapshot } from "./xstate-steps.js";
import { jsonTextOf, type Json, type JsonObject } from "../../translators/json.js";
import { NOT_TRUNCATED } from "../../translators/xstate/step.js";
import type { ActorData, ActorInput, Effect, ExecutionInfo, HistoryEvent, ResumePoint } from "../../translators/xstate/actor-data.js";
import { EVENTS, type ActorEvent } from "../../translators/xstate/events.js";
import { resumePointOf } from "../../translators/xstate/resume.js";
import type { CompiledStateMachine } from "../../translators/load.js";
import type { ExecutionStatus } from "./execution-status.js";
import { MapRun } from "./map-run.js";
import type { RedriveToken } from "./redrive.js";

/** AWS fails an execution whose history would exceed this many events. */
export const MAX_HISTORY_EVENTS = 25_000;

type EventBody = ActorEvent extends infer E ? (E extends ActorEvent ? Omit<E, "seq" | "now"> : never) : never;
type StartChild = Extract<Effect, { type: "startChild" }>;

/** What a timer does when it fires: a `timer.fired` for one actor, or the execution's TimeoutSeconds. */
export type TimerTarget = { readonly actorId: string; readonly timerId: string } | { readonly timeout: true };

/** One actor as a durable execution stores it: its XState state value and context (plain JSON). */
export interface ActorImage {
  readonly id: string;
  readonly value: Json;
  readonly context: ActorData;
  readonly parent?: { readonly id: string; readonly batch: string; readonly index: number };
}

/** What a run needs from its engine. */
export interface RunHost {
  now(): number;
  /** Queue `apply` to run after the current step (never re-entrantly). */
  enqueue(apply: () => void): void;
  /** When it is due, `run.timerFired(target)` runs (through the queue). */
  setTimer(run: ExecutionRun, timerId: string, dueAt: number, target: TimerTarget): void;
  clearTimer(run: ExecutionRun, timerId: string): void;
  dispatchTask(run: ExecutionRun, actorId: string, effect: Extract<Effect, { type: "dispatchTask" }>): void;
  finished(run: ExecutionRun): void;
  /**
   * A child execution ended: true when the host delivers `body` to the parent itself (a
   * shared store, where the parent may be another node's); false: the in-memory link does.
   */
  childEnded?(child: ExecutionRun, parent: ParentRef, body: EventBody): boolean;
  /** A Distributed Map iteration: start (or redrive) the child execution for item `effect.index`. */
  startChildExecution(parent: ExecutionRun, mapRun: MapRun, actorId: string, effect: StartChild): void;
  /** A map run opened (DescribeMapRun finds it by ARN). */
  mapRunOpened(mapRun: MapRun): void;
  /** The run's state changed (a durable execution commits it before its effects run). */
  touched(run: ExecutionRun): void;
}

interface ActorSlot {
  readonly id: string;
  readonly machine: AnyStateMachine;
  snapshot: AnyMachineSnapshot;
  readonly parent: { readonly id: string; readonly batch: string; readonly index: number } | undefined;
}

export interface RunInfo {
  readonly arn: string;
  readonly name: string;
  readonly stateMachineArn: string;
  readonly stateMachineName: string;
  readonly roleArn: string;
  readonly input: Json;
  readonly startDate: number;
  readonly type?: "STANDARD" | "EXPRESS";
  readonly stateMachineVersionArn?: string;
  readonly stateMachineAliasArn?: string;
  readonly traceHeader?: string;
  /** The input as the client sent it, when it came as text (the API keeps it verbatim). */
  readonly inputText?: string;
  /** A Distributed Map's child execution: the map run it belongs to. */
  readonly mapRunArn?: string;
  /** The part of the definition it runs: "" (the top level), or a Map's ItemProcessor for a child execution. */
  readonly scope?: string;
}

/** The Map state a child execution reports to when it ends. */
export interface ParentLink {
  readonly run: ExecutionRun;
  readonly actorId: string;
  readonly batch: string;
  readonly index: number;
}

/** A Distributed Map iteration's parent by ARN: stored with the child, whether or not the parent is in memory. */
export interface ParentRef {
  readonly arn: string;
  readonly actorId: string;
  readonly batch: string;
  readonly index: number;
}

export class ExecutionRun {
  status: ExecutionStatus = "RUNNING";
  output: Json | undefined;
  error: string | undefined;
  cause: string | undefined;
  stopDate: number | undefined;
  readonly history: HistoryEvent[] = [];
  /** How many times RedriveExecution ran it again, and when it last did. */
  redriveCount = 0;
  redriveDate: number | undefined;
  /** Where a redrive starts again: set when the execution ends without succeeding. */
  resumePoint: ResumePoint | undefined;
  /** Its Distributed Maps' map runs, in the order they started. */
  readonly mapRuns = new Map<string, MapRun>();
  /** Client tokens of its recent redrives (RedriveExecution is idempotent on them). */
  readonly redriveTokens: RedriveToken[] = [];
  parentLink: ParentLink | undefined;
  /** The parent as stored (set with the link, and read back from the store without it). */
  parentRef: ParentRef | undefined;
  /** False once its map run stopped looking (an aborted child reports nothing). */
  reportsEnd = true;
  private seq = 1;
  private readonly actors = new Map<string, ActorSlot>();

  constructor(
    readonly info: RunInfo,
    /** What this execution runs, fixed at its start (DescribeStateMachineForExecution finds the revision by it). */
    readonly compiled: CompiledStateMachine,
    private readonly host: RunHost,
  ) {}

  /** Records ExecutionStarted and runs the top level (or a child execution's ItemProcessor) until it waits or ends. */
  start(vars: JsonObject = {}): void {
    const { info } = this;
    // The same text as the first state's input (jsonTextOf remembers it for that object).
    this.append("ExecutionStarted", { input: jsonTextOf(info.input), inputDetails: NOT_TRUNCATED, roleArn: info.roleArn });
    const scope = info.scope ?? "";
    this.spawn("root", scope, { scope, root: true, input: info.input, vars, exec: this.contextObject(), seq: this.seq, prev: 0, now: this.host.now() }, undefined);
    this.armTimeout(info.startDate);
  }

  /**
   * RedriveExecution (the engine has checked that it may): the same ARN, RUNNING again, its
   * history going on with ExecutionRedriven. `resume()` then runs it.
   */
  redrive(now: number): void {
    this.redriveCount++;
    this.redriveDate = now;
    this.status = "RUNNING";
    this.output = undefined;
    this.error = undefined;
    this.cause = undefined;
    this.stopDate = undefined;
    this.append("ExecutionRedriven", { redriveCount: this.redriveCount });
  }

  /** Runs a redriven execution from the state that did not succeed, with that state's input and variables. */
  resume(): void {
    const point = this.resumePoint;
    if (this.status !== "RUNNING" || !point) return;
    this.resumePoint = undefined;
    const scope = this.info.scope ?? "";
    const input: ActorInput = {
      scope, root: true, input: point.input, vars: point.vars, exec: this.contextObject(), resume: point, seq: this.seq, prev: this.lastEventId(), now: this.host.now(),
    };
    this.spawn("root", scope, input, undefined);
    // AWS resets the state machine's TimeoutSeconds when it redrives an execution.
    if (this.redriveDate !== undefined) this.armTimeout(this.redriveDate);
  }

  /** Applies one event to one actor; events for actors that are gone are dropped. */
  deliver(actorId: string, body: EventBody): void {
    const slot = this.actors.get(actorId);
    if (!slot || this.status !== "RUNNING") return;
    const event = { ...body, seq: this.seq, now: this.host.now() } as ActorEvent;
    const next = nextSnapshot(slot.machine, slot.snapshot, event);
    this.apply(slot, next);
  }

  /** True while actor `actorId` still waits for task `taskId` (the task has not timed out, been retried or ended). */
  awaitsTask(actorId: string, taskId: string): boolean {
    if (this.status !== "RUNNING") return false;
    const waiting = (this.actors.get(actorId)?.snapshot.context as ActorData | undefined)?.waiting;
    return waiting?.kind === "task" && waiting.taskId === taskId;
  }

  /** A timer set through `host.setTimer` is due. */
  timerFired(target: TimerTarget): void {
    if ("timeout" in target) return this.timeOut();
    const { actorId, timerId } = target;
    this.host.enqueue(() => this.deliver(actorId, { type: EVENTS.timerFired, timerId }));
  }

  /** The next history event id. */
  get nextEventId(): number {
    return this.seq;
  }

  /** Its live actors as a durable execution stores them (the effects of their last step are not kept). */
  actorImages(): ActorImage[] {
    const images: ActorImage[] = [];
    for (const slot of this.actors.values()) {
      const context = { ...(slot.snapshot.context as ActorData), out: [] };
      images.push({ id: slot.id, value: slot.snapshot.value as Json, context, ...(slot.parent ? { parent: slot.parent } : {}) });
    }
    return images;
  }

  /**
   * Puts back a durable execution's history and actors as they were stored (no effect runs:
   * the engine re-dispatches its tasks and re-arms its timers). Throws for an actor whose
   * machine this definition does not have.
   */
  restore(history: readonly HistoryEvent[], seq: number, actors: readonly ActorImage[]): void {
    this.history.push(...history);
    this.seq = seq;
    for (const image of actors) {
      const machine = this.compiled.machines.get(image.context.scope);
      if (!machine) throw new Error(`actor ${image.id}: no machine for scope '${image.context.scope}'`);
      const snapshot = machine.resolveState({ value: image.value, context: image.context } as never) as AnyMachineSnapshot;
      this.actors.set(image.id, { id: image.id, machine, snapshot, parent: image.parent });
    }
  }

  /**
   * The store refused this execution's last step (a bug): it fails with States.Runtime right
   * after the last events the store holds, which are all it keeps.
   */
  failAfter(storedEvents: number, cause: string): void {
    this.history.length = Math.min(this.history.length, storedEvents);
    this.seq = this.lastEventId() + 1;
    this.actors.clear();
    this.status = "RUNNING";
    this.append("ExecutionFailed", { error: "States.Runtime", cause });
    this.end("FAILED", undefined, "States.Runtime", cause);
  }

  /** StopExecution: ExecutionAborted, every actor dropped. */
  abort(error?: string, cause?: string): void {
    if (this.status !== "RUNNING") return;
    const details: JsonObject = {};
    if (error !== undefined) details["error"] = error;
    if (cause !== undefined) details["cause"] = cause;
    this.append("ExecutionAborted", details);
    this.end("ABORTED", undefined, error, cause);
  }

  /** `$$.Execution` and `$$.StateMachine`; RedriveCount and RedriveTime tell a redriven execution. */
  private contextObject(): ExecutionInfo {
    const { info } = this;
    const execution: JsonObject = {
      Id: info.arn, Input: info.input, StartTime: new Date(info.startDate).toISOString(), Name: info.name, RoleArn: info.roleArn, RedriveCount: this.redriveCount,
    };
    if (this.redriveDate !== undefined) execution["RedriveTime"] = new Date(this.redriveDate).toISOString();
    return { Execution: execution, StateMachine: { Id: info.stateMachineArn, Name: info.stateMachineName } };
  }

  /** The state machine's TimeoutSeconds, counted from `from` (child executions have none). */
  private armTimeout(from: number): void {
    if (this.compiled.timeoutSeconds === undefined || this.info.mapRunArn !== undefined || this.status !== "RUNNING") return;
    this.host.setTimer(this, "execution:timeout", from + this.compiled.timeoutSeconds * 1000, { timeout: true });
  }

  private timeOut(): void {
    if (this.status !== "RUNNING") return;
    this.append("ExecutionTimedOut", { error: "States.Timeout", cause: "The execution timed out." });
    this.end("TIMED_OUT", undefined, "States.Timeout", "The execution timed out.");
  }

  private lastEventId(): number {
    return this.history.length > 0 ? this.history[this.history.length - 1]!.id : 0;
  }

  private append(type: string, details: JsonObject | undefined): void {
    this.host.touched(this);
    const id = this.seq++;
    const key = type[0]!.toLowerCase() + type.slice(1) + "EventDetails";
    const prev = this.lastEventId();
    this.history.push(details ? { id, previousEventId: prev, timestamp: this.host.now(), type, [key]: details } : { id, previousEventId: prev, timestamp: this.host.now(), type });
  }

  private spawn(id: string, scope: string, input: ActorInput, parent: ActorSlot["parent"]): void {
    const machine = input.resume ? this.compiled.resumeMachine(scope) : this.compiled.machines.get(scope);
    if (!machine) throw new Error(`no machine for scope '${scope}'`);
    const snapshot = initialSnapshot(machine, input);
    const slot: ActorSlot = { id, machine, snapshot, parent };
    this.actors.set(id, slot);
    this.apply(slot, snapshot);
  }

  private apply(slot: ActorSlot, snapshot: AnyMachineSnapshot): void {
    this.host.touched(this);
    slot.snapshot = snapshot;
    const data = snapshot.context as ActorData;
    const effects: [Effect, number][] = [];
    let lastId = data.prev;
    for (const item of data.out) {
      if ("event" in item) {
        this.history.push(item.event);
        lastId = item.event.id;
      } else effects.push([item.effect, lastId]);
    }
    this.seq = Math.max(this.seq, data.seq);
    if (this.history.length > MAX_HISTORY_EVENTS) return this.failTooLong();
    for (const [effect, prev] of effects) {
      if (this.status !== "RUNNING") return;
      this.runEffect(slot, effect, prev);
    }
    if (snapshot.status === "done" && this.actors.get(slot.id) === slot) this.actorDone(slot, data);
  }

  private runEffect(slot: ActorSlot, effect: Effect, prev: number): void {
    switch (effect.type) {
      case "dispatchTask":
        return this.host.dispatchTask(this, slot.id, effect);
      case "scheduleTimer":
        return this.host.setTimer(this, `${slot.id}|${effect.timerId}`, effect.dueAt, { actorId: slot.id, timerId: effect.timerId });
      case "cancelTimer":
        return this.host.clearTimer(this, `${slot.id}|${effect.timerId}`);
      case "startChild":
        return this.startChild(slot, effect, prev);
      case "stopChildren":
        return this.stopChildren(slot.id, effect.batch);
      case "mapRunStarted":
        return this.openMapRun(slot.id, effect);
      case "mapRunEnded": {
        const mapRun = this.mapRuns.get(effect.mapRunArn);
        if (!mapRun || mapRun.status !== "RUNNING") return;
        mapRun.end(effect.status, this.host.now());
        return this.abortChildren(mapRun);
      }
    }
  }

  private startChild(slot: ActorSlot, effect: StartChild, prev: number): void {
    if (effect.mapRunArn !== undefined) {
      const mapRun = this.mapRuns.get(effect.mapRunArn);
      if (mapRun) this.host.startChildExecution(this, mapRun, slot.id, effect);
      return;
    }
    const data = slot.snapshot.context as ActorData;
    const input: ActorInput = {
      scope: effect.scope, root: false, input: effect.input, vars: effect.vars, exec: data.exec, seq: this.seq, prev, now: this.host.now(),
      ...(effect.resume ? { resume: effect.resume } : {}),
    };
    this.spawn(`${slot.id}/${effect.batch}/${effect.index}`, effect.scope, input, { id: slot.id, batch: effect.batch, index: effect.index });
  }

  /** Drops a batch of child actors; map runs inside them are aborted, a map run of this batch loses its running children. */
  private stopChildren(actorId: string, batch: string): void {
    const prefix = `${actorId}/${batch}/`;
    for (const id of [...this.actors.keys()]) if (id.startsWith(prefix)) this.actors.delete(id);
    for (const mapRun of this.mapRuns.values()) {
      if (mapRun.status !== "RUNNING") continue;
      if (mapRun.actorId === actorId && mapRun.batch === batch) this.abortChildren(mapRun);
      else if (mapRun.actorId.startsWith(prefix)) this.abortMapRun(mapRun);
    }
  }

  private openMapRun(actorId: string, start: Extract<Effect, { type: "mapRunStarted" }>): void {
    const known = this.mapRuns.get(start.mapRunArn);
    if (known) return known.reopen(start, actorId, this.host.now());
    const mapRun = new MapRun(start.mapRunArn, this, actorId, this.host.now(), start);
    this.mapRuns.set(mapRun.arn, mapRun);
    this.host.mapRunOpened(mapRun);
  }

  private abortMapRun(mapRun: MapRun): void {
    this.abortChildren(mapRun);
    mapRun.end("ABORTED", this.host.now());
  }

  /** Child executions still running when their map run stops are aborted. */
  private abortChildren(mapRun: MapRun): void {
    for (const child of mapRun.executions()) {
      if (child.status !== "RUNNING") continue;
      child.parentLink = undefined;
      child.reportsEnd = false;
      child.abort();
    }
  }

  private actorDone(slot: ActorSlot, data: ActorData): void {
    this.actors.delete(slot.id);
    const result = data.result;
    if (!result) return;
    if (!slot.parent) {
      if (result.status === "SUCCEEDED") return this.end("SUCCEEDED", result.output);
      this.resumePoint = resumePointOf(data);
      return this.end("FAILED", undefined, result.error, result.cause);
    }
    const { id, batch, index } = slot.parent;
    const body: EventBody = result.status === "SUCCEEDED"
      ? { type: EVENTS.childSucceeded, batch, index, output: result.output, lastEventId: data.prev }
      : { type: EVENTS.childFailed, batch, index, error: result.error, cause: result.cause, lastEventId: data.prev, resume: resumePointOf(data) };
    this.host.enqueue(() => this.deliver(id, body));
  }

  /**
   * Where actor `id` and its running children stand (an execution aborted or timed out while
   * they ran): a redrive resumes each of them there.
   */
  private captureResume(id: string): ResumePoint | undefined {
    const slot = this.actors.get(id);
    if (!slot) return undefined;
    const data = slot.snapshot.context as ActorData;
    const waiting = data.waiting;
    const running: Record<string, ResumePoint> = {};
    if (waiting?.kind === "children") {
      for (const child of this.actors.values()) {
        if (child.parent?.id !== id || child.parent.batch !== waiting.batch) continue;
        const point = this.captureResume(child.id);
        if (point) running[String(child.parent.index)] = point;
      }
    }
    return resumePointOf(data, running);
  }

  private failTooLong(): void {
    const cause = `The execution reached the maximum number of history events (${MAX_HISTORY_EVENTS}).`;
    this.append("ExecutionFailed", { error: "States.Runtime", cause });
    this.end("FAILED", undefined, "States.Runtime", cause);
  }

  private end(status: ExecutionStatus, output?: Json, error?: string, cause?: string): void {
    this.resumePoint = status === "SUCCEEDED" ? undefined : (this.captureResume("root") ?? this.resumePoint);
    this.status = status;
    this.output = output;
    this.error = error;
    this.cause = cause;
    this.stopDate = this.host.now();
    this.actors.clear();
    for (const mapRun of this.mapRuns.values()) if (mapRun.status === "RUNNING") this.abortMapRun(mapRun);
    this.host.finished(this);
    this.reportToParent();
  }

  /** A child execution's end is its Map iteration's result. */
  private reportToParent(): void {
    const link = this.parentLink;
    const ref = this.parentRef;
    if (!this.reportsEnd || (!link && !ref)) return;
    const body = this.endBody();
    if (ref && this.host.childEnded?.(this, ref, body)) return;
    if (link) this.host.enqueue(() => link.run.deliver(link.actorId, body));
  }

  /** What a finished child execution tells the Map state waiting for it. */
  endBody(): EventBody {
    const { batch, index } = this.parentRef ?? (this.parentLink as ParentLink);
    return this.status === "SUCCEEDED"
      ? { type: EVENTS.childSucceeded, batch, index, output: this.output ?? null, lastEventId: 0 }
      : { type: EVENTS.childFailed, batch, index, error: this.error, cause: this.cause, lastEventId: 0 };
  }
}
