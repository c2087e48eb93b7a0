/**
 * A durable execution's bookkeeping beside its actors (ARCHITECTURE.md "Persist, then act"):
 * the store revision it was loaded or last committed at, how much of its history the store
 * holds, the tasks it dispatched and still waits for (to re-dispatch them under the same task
 * id after a restart), its timers, and what its next step will do once committed.
 *
 * The engine applies events to the run at once (its memory runs ahead of the store), and
 * everything the outside world would see is queued here instead: task dispatches, timers,
 * the end of the execution. `take` packs the step for the store; the engine runs the step's
 * effects only once the store said ok.
 */
import type { Effect } from "../../../translators/xstate/actor-data.js";
import type { TimerRecord } from "../../ports/execution-store.js";
import type { ExecutionRun, TimerTarget } from "../execution-run.js";

/** An event from outside the run (a task's answer) as `ExecutionRun.deliver` takes it. */
export type Answer = { readonly actorId: string; readonly body: Parameters<ExecutionRun["deliver"]>[1] };

export type DispatchEffect = Extract<Effect, { type: "dispatchTask" }>;

/**
 * A Distributed Map's child execution this run launched, kept until the child's own first
 * step is stored: a process that dies between the two leaves the parent naming a child the
 * store does not have, and whoever loads the parent then starts it, under the same ARN.
 */
export interface ChildStart {
  readonly arn: string;
  readonly name: string;
  readonly actorId: string;
  readonly effect: Extract<Effect, { type: "startChild" }>;
}

/** A task the execution dispatched and has not had an answer for. */
export interface PendingTask {
  readonly actorId: string;
  readonly effect: DispatchEffect;
  /**
   * A `.waitForTaskToken` task whose dispatch went through (its function returned): after a
   * restart its token is honoured again, and the task is not sent a second time.
   */
  handedOff: boolean;
  /** Its Started event is in the history: a dispatch again after a restart records no second one. */
  started: boolean;
}

export interface RunTimer {
  readonly dueAt: number;
  readonly target: TimerTarget;
}

/** A stored timer's payload: the execution and the run's own timer id. */
export interface TimerPayload {
  readonly arn: string;
  readonly id: string;
}

/** Timer ids in the store are unique across executions. */
export const storedTimerId = (arn: string, id: string): string => `${arn}#${id}`;

export class RunJournal {
  /** The store's revision of this execution (0: not stored yet). */
  revision = 0;
  /** Events the store holds. */
  historyLength = 0;
  /** The revision and history length once the commits in flight have landed: the next commit continues from here. */
  issuedRevision = 0;
  issuedHistory = 0;
  /** Bumped when commits in flight no longer count (the store refused one): their outcomes are ignored. */
  epoch = 0;
  /** Tasks dispatched and not answered yet, by task id. */
  readonly tasks = new Map<string, PendingTask>();
  /** Timers set and not fired or cleared, by the run's timer id. */
  readonly timers = new Map<string, RunTimer>();
  /** Child executions launched whose first step may not be stored yet, by ARN. */
  readonly childStarts = new Map<string, ChildStart>();
  /** Set when the run was reloaded or dropped: nothing more of this journal's run is committed. */
  dead = false;
  /** The store refused a step of it once (the run then failed with States.Runtime). */
  rejected = false;
  private timerChanges = new Map<string, RunTimer | null>();
  private effects: (() => void)[] = [];
  /** Task answers applied and not stored yet, numbered: applied again if the run must be reloaded. */
  private answers: (Answer & { readonly n: number })[] = [];
  private answerCount = 0;

  constructor(
    /** The definition the execution runs, as JSON text (it is compiled again after a restart). */
    readonly definition: string,
  ) {}

  /** What the store holds of the execution (after a load); commits continue from it. */
  stored(revision: number, historyLength: number): void {
    this.revision = this.issuedRevision = revision;
    this.historyLength = this.issuedHistory = historyLength;
  }

  /** Commits in flight are void: the next one starts again from what the store holds. */
  reset(): void {
    this.epoch++;
    this.issuedRevision = this.revision;
    this.issuedHistory = this.historyLength;
  }

  dispatched(actorId: string, effect: DispatchEffect): void {
    this.tasks.set(effect.taskId, { actorId, effect, handedOff: false, started: false });
  }

  setTimer(id: string, timer: RunTimer): void {
    this.timers.set(id, timer);
    this.timerChanges.set(id, timer);
  }

  clearTimer(id: string): void {
    this.timers.delete(id);
    this.timerChanges.set(id, null);
  }

  /** The execution ended: every timer goes. */
  clearTimers(): void {
    for (const id of this.timers.keys()) this.timerChanges.set(id, null);
    this.timers.clear();
  }

  answered(answer: Answer): void {
    this.answers.push({ ...answer, n: ++this.answerCount });
  }

  /** Answers the commits up to one that took `upTo` answers have stored. */
  storedAnswers(upTo: number): void {
    while ((this.answers[0]?.n ?? Infinity) <= upTo) this.answers.shift();
  }

  /** Answers applied in memory that no landed commit holds. */
  unstoredAnswers(): readonly Answer[] {
    return this.answers;
  }

  /** Runs once the next commit of this run has landed. */
  afterCommit(effect: () => void): void {
    this.effects.push(effect);
  }

  /**
   * Takes the step to commit: the timer writes (as the store's records) and the effects to
   * run once it landed. Tasks the run no longer waits for are dropped first.
   */
  take(arn: string, awaits: (actorId: string, taskId: string) => boolean): { set: TimerRecord[]; cancel: string[]; effects: (() => void)[]; answers: number } {
    for (const [taskId, task] of this.tasks) if (!awaits(task.actorId, taskId)) this.tasks.delete(taskId);
    const set: TimerRecord[] = [];
    const cancel: string[] = [];
    for (const [id, timer] of this.timerChanges) {
      if (timer) set.push(timerRecord(arn, id, timer));
      else cancel.push(storedTimerId(arn, id));
    }
    const effects = this.effects;
    this.timerChanges = new Map();
    this.effects = [];
    // Every answer recorded so far has been applied: the engine commits once its queue is empty.
    return { set, cancel, effects, answers: this.answerCount };
  }

  /** The store records of every timer the run has (re-armed after a restart). */
  timerRecords(arn: string): TimerRecord[] {
    return [...this.timers].map(([id, timer]) => timerRecord(arn, id, timer));
  }
}

function timerRecord(arn: string, id: string, timer: RunTimer): TimerRecord {
  const payload: TimerPayload = { arn, id };
  return { timerId: storedTimerId(arn, id), dueAt: timer.dueAt, payload, executionArn: arn };
}
