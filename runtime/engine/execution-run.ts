/**
 * One execution: its root actor, the child actors of its Parallel branches and Map
 * iterations, its history, and the effects its machines ask for. Events reach it one at a
 * time through the engine's queue; each is applied with XState's pure `transition()`.
 */
import { initialTransition, transition, type AnyMachineSnapshot, type AnyStateMachine } from "xstate";
import type { Json, JsonObject } from "../../translators/json.js";
import type { ActorData, ActorInput, Effect, HistoryEvent } from "../../translators/xstate/actor-data.js";
import { EVENTS, type ActorEvent } from "../../translators/xstate/events.js";
import type { CompiledStateMachine } from "../../translators/load.js";
import type { ExecutionStatus } from "./execution-status.js";

/** AWS fails an execution whose history would exceed this many events. */
export const MAX_HISTORY_EVENTS = 25_000;

type EventBody = ActorEvent extends infer E ? (E extends ActorEvent ? Omit<E, "seq" | "now"> : never) : never;

/** What a run needs from its engine. */
export interface RunHost {
  now(): number;
  /** Queue `apply` to run after the current step (never re-entrantly). */
  enqueue(apply: () => void): void;
  setTimer(run: ExecutionRun, timerId: string, dueAt: number, fire: () => void): void;
  clearTimer(run: ExecutionRun, timerId: string): void;
  dispatchTask(run: ExecutionRun, actorId: string, effect: Extract<Effect, { type: "dispatchTask" }>): void;
  finished(run: ExecutionRun): void;
}

interface ActorSlot {
  readonly id: string;
  readonly machine: AnyStateMachine;
  snapshot: AnyMachineSnapshot;
  readonly parent: { readonly id: string; readonly batch: string; readonly index: number } | undefined;
  /** A Distributed Map's child execution: its events are its own, not this execution's history. */
  readonly detached?: boolean;
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
}

export class ExecutionRun {
  status: ExecutionStatus = "RUNNING";
  output: Json | undefined;
  error: string | undefined;
  cause: string | undefined;
  stopDate: number | undefined;
  readonly history: HistoryEvent[] = [];
  private seq = 1;
  private readonly actors = new Map<string, ActorSlot>();

  constructor(
    readonly info: RunInfo,
    /** What this execution runs, fixed at its start (DescribeStateMachineForExecution finds the revision by it). */
    readonly compiled: CompiledStateMachine,
    private readonly host: RunHost,
  ) {}

  /** Records ExecutionStarted and runs the top level until it waits or ends. */
  start(): void {
    const { info } = this;
    this.append("ExecutionStarted", { input: JSON.stringify(info.input), inputDetails: { truncated: false }, roleArn: info.roleArn });
    const exec = {
      Execution: { Id: info.arn, Input: info.input, StartTime: new Date(info.startDate).toISOString(), Name: info.name, RoleArn: info.roleArn, RedriveCount: 0 },
      StateMachine: { Id: info.stateMachineArn, Name: info.stateMachineName },
    };
    this.spawn("root", "", { scope: "", root: true, input: info.input, vars: {}, exec, seq: this.seq, prev: 0, now: this.host.now() }, undefined);
    if (this.compiled.timeoutSeconds !== undefined && this.status === "RUNNING") {
      this.host.setTimer(this, "execution:timeout", info.startDate + this.compiled.timeoutSeconds * 1000, () => this.timeOut());
    }
  }

  /** Applies one event to one actor; events for actors that are gone are dropped. */
  deliver(actorId: string, body: EventBody): void {
    const slot = this.actors.get(actorId);
    if (!slot || this.status !== "RUNNING") return;
    const event = { ...body, seq: this.seq, now: this.host.now() } as ActorEvent;
    const [next] = transition(slot.machine, slot.snapshot, event);
    this.apply(slot, next);
  }

  /** True while actor `actorId` still waits for task `taskId` (the task has not timed out, been retried or ended). */
  awaitsTask(actorId: string, taskId: string): boolean {
    if (this.status !== "RUNNING") return false;
    const waiting = (this.actors.get(actorId)?.snapshot.context as ActorData | undefined)?.waiting;
    return waiting?.kind === "task" && waiting.taskId === taskId;
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

  private timeOut(): void {
    if (this.status !== "RUNNING") return;
    this.append("ExecutionTimedOut", { error: "States.Timeout", cause: "The execution timed out." });
    this.end("TIMED_OUT", undefined, "States.Timeout", "The execution timed out.");
  }

  private append(type: string, details: JsonObject | undefined): void {
    const id = this.seq++;
    const key = type[0]!.toLowerCase() + type.slice(1) + "EventDetails";
    const prev = this.history.length > 0 ? this.history[this.history.length - 1]!.id : 0;
    this.history.push(details ? { id, previousEventId: prev, timestamp: this.host.now(), type, [key]: details } : { id, previousEventId: prev, timestamp: this.host.now(), type });
  }

  private spawn(id: string, scope: string, input: ActorInput, parent: ActorSlot["parent"], detached = false): void {
    const machine = this.compiled.machines.get(scope);
    if (!machine) throw new Error(`no machine for scope '${scope}'`);
    const [snapshot] = initialTransition(machine, input);
    const slot: ActorSlot = { id, machine, snapshot, parent, ...(detached ? { detached } : {}) };
    this.actors.set(id, slot);
    this.apply(slot, snapshot);
  }

  private apply(slot: ActorSlot, snapshot: AnyMachineSnapshot): void {
    slot.snapshot = snapshot;
    const data = snapshot.context as ActorData;
    const effects: [Effect, number][] = [];
    let lastId = data.prev;
    for (const item of data.out) {
      if ("event" in item) {
        if (!slot.detached) this.history.push(item.event);
        lastId = item.event.id;
      } else effects.push([item.effect, lastId]);
    }
    if (!slot.detached) this.seq = Math.max(this.seq, data.seq);
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
        return this.host.setTimer(this, `${slot.id}|${effect.timerId}`, effect.dueAt, () =>
          this.host.enqueue(() => this.deliver(slot.id, { type: EVENTS.timerFired, timerId: effect.timerId })),
        );
      case "cancelTimer":
        return this.host.clearTimer(this, `${slot.id}|${effect.timerId}`);
      case "startChild": {
        const data = slot.snapshot.context as ActorData;
        // A detached child numbers its own events from 1, like the child execution it stands for.
        const [seq, link] = effect.detached ? [1, 0] : [this.seq, prev];
        const input: ActorInput = { scope: effect.scope, root: false, input: effect.input, vars: effect.vars, exec: data.exec, seq, prev: link, now: this.host.now() };
        return this.spawn(`${slot.id}/${effect.batch}/${effect.index}`, effect.scope, input, { id: slot.id, batch: effect.batch, index: effect.index }, effect.detached);
      }
      case "stopChildren": {
        const prefix = `${slot.id}/${effect.batch}/`;
        for (const id of [...this.actors.keys()]) if (id.startsWith(prefix)) this.actors.delete(id);
        return;
      }
    }
  }

  private actorDone(slot: ActorSlot, data: ActorData): void {
    this.actors.delete(slot.id);
    const result = data.result;
    if (!result) return;
    if (!slot.parent) {
      return result.status === "SUCCEEDED" ? this.end("SUCCEEDED", result.output) : this.end("FAILED", undefined, result.error, result.cause);
    }
    const { id, batch, index } = slot.parent;
    const body: EventBody = result.status === "SUCCEEDED"
      ? { type: EVENTS.childSucceeded, batch, index, output: result.output, lastEventId: data.prev }
      : { type: EVENTS.childFailed, batch, index, error: result.error, cause: result.cause, lastEventId: data.prev };
    this.host.enqueue(() => this.deliver(id, body));
  }

  private failTooLong(): void {
    const cause = `The execution reached the maximum number of history events (${MAX_HISTORY_EVENTS}).`;
    this.append("ExecutionFailed", { error: "States.Runtime", cause });
    this.end("FAILED", undefined, "States.Runtime", cause);
  }

  private end(status: ExecutionStatus, output?: Json, error?: string, cause?: string): void {
    this.status = status;
    this.output = output;
    this.error = error;
    this.cause = cause;
    this.stopDate = this.host.now();
    this.actors.clear();
    this.host.finished(this);
  }
}
