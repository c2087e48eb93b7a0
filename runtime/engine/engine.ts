/**
 * The embedded engine: state machines, executions, one event queue, timers, the task bus
 * and callback task tokens. Everything runs in this process. With a store, Standard
 * executions are durable (persistence/durable-runs.ts): each step is stored before its
 * effects run, and `start()` recovers the executions a previous process left running.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { Json } from "../../translators/json.js";
import { loadDefinition, type CompiledStateMachine } from "../../translators/load.js";
import type { Randomness } from "../../translators/query/scope.js";
import type { Effect, HistoryEvent } from "../../translators/xstate/actor-data.js";
import { EVENTS } from "../../translators/xstate/events.js";
import { VirtualClock } from "../clock/virtual-clock.js";
import { SystemClock } from "../clock/system-clock.js";
import { InProcessTaskBus } from "../bus/in-process-task-bus.js";
import type { TaskFunctions } from "../bus/task-functions.js";
import type { Clock } from "../ports/clock.js";
import { replyWith, type TaskAnswer as WorkerAnswer, type TaskBus, type TaskReply } from "../ports/task-bus.js";
import type { TimerServiceV2 } from "../ports/timer-service-v2.js";
import { executionOfTaskToken } from "../../translators/xstate/task-token.js";
import type { TimerService } from "../ports/timer-service.js";
import type { ExecutionObserver } from "../ports/execution-observer.js";
import type { ExecutionStore } from "../ports/execution-store.js";
import { DurableTimers } from "../timers/durable-timers.js";
import { SystemTimers } from "../timers/system-timers.js";
import { VirtualTimers } from "../timers/virtual-timers.js";
import { DEFAULT_ACCOUNT, executionArn, expressExecutionArn, stateMachineArn, type Account } from "./arns.js";
import { ExecutionRun, type ParentRef, type RunHost } from "./execution-run.js";
import { KeysByRun } from "./keys-by-run.js";
import type { ExecutionStatus } from "./execution-status.js";
import { startChildExecution, type ChildHost } from "./child-executions.js";
import type { MapRun, MapRunCounts } from "./map-run.js";
import { childrenVerdict, childVerdict, ExecutionNotRedrivable, ownVerdict, rememberRedrive, repeatedRedrive, type RedriveVerdict } from "./redrive.js";
import { DurableRuns, TimerNotApplied, type DurableLink, type EngineLog, type RecoveryReport } from "./persistence/durable-runs.js";
import { SyncTimers } from "./persistence/sync-timers.js";

export type { EngineLog, RecoveryReport };

type TaskAnswer = Parameters<ExecutionRun["deliver"]>[1];
type DispatchEffect = Extract<Effect, { type: "dispatchTask" }>;

export interface EngineOptions {
  /** Skip time: Waits, retry backoff and timeouts complete as soon as nothing else can run. */
  readonly virtualTime?: boolean;
  readonly clock?: Clock;
  /** Local task functions, keyed by resource ARN or Lambda function name. */
  readonly functions?: TaskFunctions;
  /** A TaskBus to use instead of the in-process one. */
  readonly taskBus?: TaskBus;
  readonly randomness?: Randomness;
  readonly account?: Account;
  readonly roleArn?: string;
  /** Told about starts, ends and task latencies (metrics). */
  readonly observer?: ExecutionObserver;
  /**
   * Makes Standard executions durable: each step is stored before its effects run, and
   * `start()` (required before the first execution) recovers what a previous process left
   * running. Absent: everything stays in memory. The caller opens and closes the store.
   */
  readonly store?: ExecutionStore;
  /** With a store: keep finished executions in memory (by default they leave it once stored). */
  readonly keepFinished?: boolean;
  /** Where store trouble is reported (recovery skips, conflicts, rejected steps); console by default. */
  readonly log?: EngineLog;
  /** With a store: the durable timers to use instead of DurableTimers over the store (JetStream's). */
  readonly durableTimers?: TimerServiceV2;
  /**
   * With a store: other runtime nodes share it (distributed mode). Executions in memory are a
   * cache checked against the store before any event moves one, task answers arrive as data
   * (`applyAnswer`) at whichever node took them, and a sweep every `sweepIntervalMs` puts
   * back to work what a node that died left between a stored step and its effects.
   */
  readonly shared?: { readonly sweepIntervalMs?: number };
}

/** How often a node of a shared store sweeps RUNNING executions, unless told. */
const DEFAULT_SWEEP_MS = 15_000;
/** How often a waiter on a shared store's execution looks whether another node finished it. */
const SHARED_WATCH_MS = 250;
/** A local adapter's answer that did not land (a commit conflict) is applied again after this long. */
const ANSWER_RETRY_MS = 20;

export interface StateMachineRecord {
  readonly arn: string;
  readonly name: string;
  readonly compiled: CompiledStateMachine;
  readonly creationDate: number;
  /** STANDARD unless said otherwise; EXPRESS executions get `…:express:…` ARNs. */
  readonly type?: StateMachineType;
  /** The role executions run as (ExecutionStarted's roleArn); the engine's default when absent. */
  readonly roleArn?: string;
}

export type StateMachineType = "STANDARD" | "EXPRESS";

export interface StartOptions {
  /** The execution's name; a UUID when absent. */
  readonly name?: string;
  /** Set when started through a version or alias ARN (DescribeExecution reports them). */
  readonly stateMachineVersionArn?: string;
  readonly stateMachineAliasArn?: string;
  readonly traceHeader?: string;
  /** The input exactly as the client sent it (DescribeExecution returns this text). */
  readonly inputText?: string;
}

export interface ExecutionResult {
  readonly executionArn: string;
  readonly status: ExecutionStatus;
  readonly output?: Json;
  readonly error?: string;
  readonly cause?: string;
  readonly history: readonly HistoryEvent[];
}

interface TokenEntry {
  readonly run: ExecutionRun;
  readonly actorId: string;
  readonly taskId: string;
}

/** The error SendTask* raise for a token this engine never handed out (API: TaskDoesNotExist). */
export class TaskDoesNotExist extends Error {
  override readonly name: string = "TaskDoesNotExist";
}

/**
 * SendTask* for a token whose task has closed: answered, timed out, or its execution ended
 * (API: TaskTimedOut, "Provided task does not exist anymore", as AWS answers).
 */
export class TaskTimedOut extends TaskDoesNotExist {
  override readonly name = "TaskTimedOut";
}

/** How many closed tokens are remembered (to answer TaskTimedOut rather than TaskDoesNotExist). */
const CLOSED_TOKENS_KEPT = 100_000;

/**
 * Virtual time cannot tell a task function that never settles from one still at work, so
 * when only in-flight tasks remain and none has settled for this long (real time), time
 * skips to the next timer anyway (a Task's TimeoutSeconds/HeartbeatSeconds can then fire).
 */
const VIRTUAL_STALL_MS = 50;

const cryptoRandomness: Randomness = {
  random: () => randomBytes(6).readUIntBE(0, 6) / 2 ** 48,
  // randomUUID's text is a rope of 2-character pieces, which an execution's name would keep
  // (~450 bytes per execution held in memory); toLowerCase copies it flat (it is lowercase already).
  uuid: () => randomUUID().toLowerCase(),
};

export class Engine {
  readonly clock: Clock;
  private readonly timers: TimerService;
  private readonly virtualTimers: VirtualTimers | undefined;
  private readonly bus: TaskBus;
  private readonly randomness: Randomness;
  readonly account: Account;
  private readonly roleArn: string;
  private readonly observer: ExecutionObserver;
  private readonly stateMachines = new Map<string, StateMachineRecord>();
  private readonly runs = new Map<string, ExecutionRun>();
  private readonly mapRuns = new Map<string, MapRun>();
  private readonly waiters = new Map<string, ((r: ExecutionResult) => void)[]>();
  private readonly tokens = new KeysByRun<TokenEntry>((t) => t.run);
  private readonly closedTokens = new Set<string>();
  private readonly runTimers = new Map<ExecutionRun, Set<string>>();
  private queue: (() => void)[] = [];
  private scheduled = false;
  /** Dispatched tasks whose function has not settled, by `${executionArn}#${taskId}`. */
  private readonly inflight = new KeysByRun<ExecutionRun>((run) => run);
  private stall: NodeJS.Timeout | undefined;
  private closed = false;
  private pumping = false;
  /** `flushed()` calls waiting for the next pump to end. */
  private pumpWaiters: (() => void)[] = [];
  /** The store durable executions live in (absent: everything is in memory). */
  readonly store: ExecutionStore | undefined;
  private readonly durable: DurableRuns | undefined;
  private readonly shared: EngineOptions["shared"];
  private sweeper: NodeJS.Timeout | undefined;
  /** Shared stores: tasks of executions that live only here (Express), by `${executionArn}#${taskId}`. */
  private readonly watching = new Set<string>();
  private readonly localTasks = new KeysByRun<{ readonly run: ExecutionRun; readonly actorId: string; readonly effect: DispatchEffect }>((t) => t.run);

  constructor(options: EngineOptions = {}) {
    this.randomness = options.randomness ?? cryptoRandomness;
    this.account = options.account ?? DEFAULT_ACCOUNT;
    this.roleArn = options.roleArn ?? `arn:aws:iam::${this.account.accountId}:role/aslan`;
    this.observer = options.observer ?? {};
    if (options.virtualTime) {
      const clock = options.clock instanceof VirtualClock ? options.clock : new VirtualClock(options.clock?.now() ?? Date.now());
      this.clock = clock;
      this.virtualTimers = new VirtualTimers(clock);
      this.timers = this.virtualTimers;
    } else {
      this.clock = options.clock ?? new SystemClock();
      this.timers = new SystemTimers(this.clock);
      this.virtualTimers = undefined;
    }
    this.bus = options.taskBus ?? new InProcessTaskBus(options.functions ?? {});
    this.store = options.store;
    this.shared = options.store ? options.shared : undefined;
    this.durable = options.store ? this.durableRuns(options.store, options) : undefined;
  }

  private durableRuns(store: ExecutionStore, options: EngineOptions): DurableRuns {
    const log = options.log ?? consoleLog;
    const timers = options.durableTimers ?? (this.virtualTimers
      ? new SyncTimers(this.virtualTimers)
      : new DurableTimers({
        store, clock: this.clock,
        onError: (err, timer) => {
          if (!(err instanceof TimerNotApplied)) log.error({ err, timerId: timer?.timerId }, "durable timer failed");
        },
      }));
    return new DurableRuns(this.durableLink, { store, timers, log, keepFinished: options.keepFinished ?? false, shared: options.shared !== undefined });
  }

  /**
   * With a store: recovers the executions a previous process left running (their tasks are
   * dispatched again under the same task ids, their timers armed with the time that
   * remains, their callback tokens honoured) and starts the durable timers. Executions run
   * once it resolves; call it once, before starting executions. Without a store: nothing.
   */
  start(): Promise<RecoveryReport> {
    const durable = this.durable;
    if (!durable) return Promise.resolve({ recovered: 0, skipped: [] });
    return durable.start().then((report) => {
      if (this.shared && !this.sweeper && !this.closed) {
        let sweeping = false;
        this.sweeper = setInterval(() => {
          if (sweeping) return;
          sweeping = true;
          void durable.sweep().finally(() => (sweeping = false));
        }, this.shared.sweepIntervalMs ?? DEFAULT_SWEEP_MS);
        this.sweeper.unref();
      }
      return report;
    });
  }

  /**
   * Resolves once the events queued now are applied and every step taken by then is stored
   * (StartExecution's answer waits for this); at once without a store.
   */
  async flushed(): Promise<void> {
    const durable = this.durable;
    if (!durable) return;
    if (this.queue.length > 0 || this.scheduled) await new Promise<void>((resolve) => this.pumpWaiters.push(resolve));
    await durable.whenStored();
  }

  /**
   * An execution by ARN, read back from the store when the engine no longer holds it (a
   * finished one left memory, or a restart): RedriveExecution needs the run. Undefined when
   * neither has it; throws StoreCorruptionError for one it cannot read.
   */
  async loadExecution(arn: string): Promise<ExecutionRun | undefined> {
    if (this.shared && this.durable) return this.durable.fresh(arn);
    return this.runs.get(arn) ?? (await this.durable?.load(arn));
  }

  /**
   * Shared stores: reads again every RUNNING execution this node does not hold at its stored
   * revision, and puts it back to work (the periodic sweep; see DurableRuns.sweep).
   */
  sweep(): Promise<number> {
    return this.durable?.sweep() ?? Promise.resolve(0);
  }

  /**
   * Shared stores: reads every RUNNING execution again and puts it back to work, even one
   * this node holds as stored (its tasks dispatched again under the same ids, its timers
   * armed again). For after the JetStream server came back from a crash, which can lose the
   * last messages it had acknowledged; workers and the timer service drop the repeats.
   */
  resync(): Promise<number> {
    return this.durable?.sweep({ reread: true }) ?? Promise.resolve(0);
  }

  /** True when other runtime nodes share this engine's store (distributed mode). */
  get sharesStore(): boolean {
    return this.shared !== undefined;
  }

  /**
   * Before SendTask* with this token: brings its execution into memory as the store holds it
   * (a shared store, or a restart that lost the token table), so its task is found, or
   * known to have closed (TaskTimedOut).
   */
  async prepareToken(token: string): Promise<void> {
    const durable = this.durable;
    const arn = executionOfTaskToken(token);
    if (!durable || arn === undefined) return;
    const run = this.shared ? await durable.fresh(arn) : this.tokens.has(token) || this.runs.has(arn) ? undefined : await durable.load(arn).catch(() => undefined);
    // Its execution is known: a token it no longer waits on has closed (TaskTimedOut, not TaskDoesNotExist).
    const entry = this.tokens.get(token);
    if (run && !(entry && entry.run === run && run.awaitsTask(entry.actorId, entry.taskId))) this.closeToken(token);
  }

  /**
   * Shared stores: a worker's answer for a task, taken from the queue by this node whichever
   * node dispatched it. "done" once the step it caused is stored (or it was a repeat, or its
   * task no longer waits); "retry" when that step did not land (another node wrote the
   * execution meanwhile): the message comes back and is applied to the execution as stored.
   */
  async applyAnswer(arn: string, taskId: string, answer: WorkerAnswer): Promise<"done" | "retry"> {
    const durable = this.durable;
    const local = this.localTasks.get(`${arn}#${taskId}`);
    if (local) {
      replyWith(this.replyFor(local.run, local.actorId, local.effect), answer);
      return "done";
    }
    if (!durable) return "done";
    const run = await durable.fresh(arn);
    const task = run && run.status === "RUNNING" ? durable.pendingTask(run, taskId) : undefined;
    if (run && task) replyWith(this.replyFor(run, task.actorId, task.effect), answer);
    await this.flushed();
    return durable.answerUnstored(arn, taskId) ? "retry" : "done";
  }

  /** Compiles and registers a definition (object or JSON text); throws DefinitionError. */
  createStateMachine(name: string, definition: unknown, type: StateMachineType = "STANDARD"): StateMachineRecord {
    const compiled = this.compile(definition);
    const record = { arn: stateMachineArn(this.account, name), name, compiled, creationDate: this.clock.now(), type };
    this.stateMachines.set(record.arn, record);
    return record;
  }

  getStateMachine(arn: string): StateMachineRecord | undefined {
    return this.stateMachines.get(arn);
  }

  /** Compiles a definition (object or JSON text) with this engine's randomness; throws DefinitionError. */
  compile(definition: unknown): CompiledStateMachine {
    return loadDefinition(definition, { randomness: this.randomness });
  }

  /** A number in [0, 1) from this engine's randomness (alias routing). */
  random(): number {
    return this.randomness.random();
  }

  /** A fresh random UUID (execution names, ids). */
  uuid(): string {
    return this.randomness.uuid();
  }

  /** Starts an execution and returns it at once; `result()` waits for its end. */
  startExecution(stateMachine: StateMachineRecord, input: Json, nameOrOptions: string | StartOptions = {}): ExecutionRun {
    if (this.durable && !this.durable.started) throw new Error("an engine with a store runs executions once engine.start() has been called");
    const options: StartOptions = typeof nameOrOptions === "string" ? { name: nameOrOptions } : nameOrOptions;
    const name = options.name ?? this.randomness.uuid();
    const type = stateMachine.type ?? "STANDARD";
    const arn = type === "EXPRESS"
      ? expressExecutionArn(this.account, stateMachine.name, name, this.randomness.uuid())
      : executionArn(this.account, stateMachine.name, name);
    const run = new ExecutionRun(
      {
        arn, name, type, stateMachineArn: stateMachine.arn, stateMachineName: stateMachine.name, roleArn: stateMachine.roleArn ?? this.roleArn, input, startDate: this.clock.now(),
        ...(options.stateMachineVersionArn ? { stateMachineVersionArn: options.stateMachineVersionArn } : {}),
        ...(options.stateMachineAliasArn ? { stateMachineAliasArn: options.stateMachineAliasArn } : {}),
        ...(options.traceHeader ? { traceHeader: options.traceHeader } : {}),
        ...(options.inputText !== undefined ? { inputText: options.inputText } : {}),
      },
      stateMachine.compiled,
      this.host,
    );
    this.durable?.adopt(run);
    this.runs.set(arn, run);
    this.observer.executionStarted?.({ executionArn: arn, stateMachineArn: stateMachine.arn });
    this.enqueue(() => run.start());
    return run;
  }

  getExecution(arn: string): ExecutionRun | undefined {
    return this.runs.get(arn);
  }

  /** Every execution this engine knows, oldest first. */
  executions(): IterableIterator<ExecutionRun> {
    return this.runs.values();
  }

  /** Forgets a finished execution (Express executions are not kept), with its map runs and their child executions. */
  forget(run: ExecutionRun): void {
    if (run.status === "RUNNING") return;
    this.runs.delete(run.info.arn);
    for (const mapRun of run.mapRuns.values()) {
      this.mapRuns.delete(mapRun.arn);
      for (const child of mapRun.executions()) this.forget(child);
    }
  }

  /** A Distributed Map's map run, by ARN. */
  getMapRun(arn: string): MapRun | undefined {
    return this.mapRuns.get(arn);
  }

  /**
   * RedriveExecution: runs a failed, aborted or timed-out Standard execution again from the
   * state that did not succeed; returns the redrive date. A `clientToken` seen in the last
   * 15 minutes returns its first answer and redrives nothing. Throws ExecutionNotRedrivable.
   * https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html
   */
  redriveExecution(run: ExecutionRun, clientToken?: string): number {
    const now = this.clock.now();
    const repeated = repeatedRedrive(run, clientToken, now);
    if (repeated !== undefined) return repeated;
    const verdict = this.redriveStatus(run);
    if (verdict.status === "REDRIVABLE_BY_MAP_RUN") {
      throw new ExecutionNotRedrivable(`Execution is a child execution of Map Run '${run.info.mapRunArn ?? ""}': redrive its parent execution`);
    }
    if (verdict.status !== "REDRIVABLE") throw new ExecutionNotRedrivable(verdict.reason ?? "Execution cannot be redriven");
    run.redrive(now);
    rememberRedrive(run, clientToken, now);
    this.enqueue(() => run.resume());
    return now;
  }

  /** DescribeExecution's redriveStatus (and reason) for `run` now. */
  redriveStatus(run: ExecutionRun): RedriveVerdict {
    const now = this.clock.now();
    const mapRun = run.info.mapRunArn !== undefined ? this.mapRuns.get(run.info.mapRunArn) : undefined;
    return mapRun ? childVerdict(run, mapRun, now) : ownVerdict(run, now);
  }

  /** DescribeMapRun's counts; failures count as not redrivable once the map run cannot be redriven. */
  mapRunCounts(mapRun: MapRun): MapRunCounts {
    const notRedrivable = mapRun.status !== "RUNNING" && childrenVerdict(mapRun, this.clock.now()).status !== "REDRIVABLE";
    return mapRun.counts(notRedrivable);
  }

  /** UpdateMapRun: new settings for a running map run's iterations not started yet. */
  updateMapRun(mapRun: MapRun, changes: { maxConcurrency?: number; toleratedFailureCount?: number; toleratedFailurePercentage?: number }): void {
    if (mapRun.status !== "RUNNING") return;
    if (changes.maxConcurrency !== undefined) mapRun.maxConcurrency = changes.maxConcurrency;
    if (changes.toleratedFailureCount !== undefined) mapRun.toleratedFailureCount = changes.toleratedFailureCount;
    if (changes.toleratedFailurePercentage !== undefined) mapRun.toleratedFailurePercentage = changes.toleratedFailurePercentage;
    const { execution, actorId, arn } = mapRun;
    this.enqueue(() => execution.deliver(actorId, { type: EVENTS.mapRunUpdated, mapRunArn: arn, ...changes }));
  }

  /** Resolves when the execution ends. */
  result(run: ExecutionRun): Promise<ExecutionResult> {
    // A durable execution's end is given out once it is stored.
    if (run.status !== "RUNNING" && !this.durable?.isEnding(run)) return Promise.resolve(resultOf(run));
    return new Promise((resolve) => {
      const list = this.waiters.get(run.info.arn) ?? [];
      list.push(resolve);
      this.waiters.set(run.info.arn, list);
      if (this.shared && run.info.type !== "EXPRESS") this.watchStored(run.info.arn);
    });
  }

  /**
   * Shared stores: another node may finish the execution, so its waiters here (a nested
   * `.sync` task, StartSyncExecution) also look at the store until it has ended.
   */
  private watchStored(arn: string): void {
    if (this.watching.has(arn)) return;
    this.watching.add(arn);
    const look = (): void => {
      const durable = this.durable;
      if (this.closed || !durable || !this.waiters.has(arn)) return void this.watching.delete(arn);
      void this.store?.load(arn).then(
        async (stored) => {
          if (stored && stored.summary.status !== "RUNNING") {
            const run = await durable.fresh(arn);
            if (run && run.status !== "RUNNING") {
              this.watching.delete(arn);
              return this.finished(run);
            }
          }
          setTimeout(look, SHARED_WATCH_MS).unref();
        },
        () => setTimeout(look, SHARED_WATCH_MS).unref(),
      );
    };
    setTimeout(look, SHARED_WATCH_MS).unref();
  }

  stopExecution(run: ExecutionRun, error?: string, cause?: string): void {
    run.abort(error, cause);
  }

  sendTaskSuccess(token: string, output: Json): void {
    const t = this.takeToken(token);
    this.answer(t.run, t.actorId, { type: EVENTS.taskSucceeded, taskId: t.taskId, output });
  }

  sendTaskFailure(token: string, error?: string, cause?: string): void {
    const t = this.takeToken(token);
    this.answer(t.run, t.actorId, { type: EVENTS.taskFailed, taskId: t.taskId, error: error ?? "", cause });
  }

  sendTaskHeartbeat(token: string): void {
    const t = this.liveToken(token);
    this.answer(t.run, t.actorId, { type: EVENTS.taskHeartbeat, taskId: t.taskId });
  }

  /**
   * Shared stores: a child execution's end applied to its parent as stored, wherever that
   * is, once the child's own end is stored; again until a landed step of the parent holds it
   * (a conflict reloads the parent). The Map state ignores an end it has already taken.
   */
  private async reportChildEnd(parent: ParentRef, body: TaskAnswer): Promise<void> {
    const durable = this.durable as DurableRuns;
    await this.flushed();
    while (!this.closed) {
      const run = await durable.fresh(parent.arn).catch(() => null);
      if (run === undefined || (run && run.status !== "RUNNING")) return;
      if (run) {
        this.answer(run, parent.actorId, body);
        // Stored even when the Map state had it already (and so changed nothing).
        this.enqueue(() => durable.touched(run));
        await this.flushed();
        if (!durable.childEndUnstored(parent.arn, parent.batch, parent.index)) return;
      }
      await new Promise((resolve) => setTimeout(resolve, ANSWER_RETRY_MS));
    }
  }

  /** A task's answer for its run (a durable run keeps it until stored, to apply it again after a reload). */
  private answer(run: ExecutionRun, actorId: string, body: TaskAnswer): void {
    this.durable?.answered(run, actorId, body);
    this.enqueue(() => run.deliver(actorId, body));
  }

  /**
   * Stops timers; running executions stay as they are. With a store, resolves once the
   * commit in flight has landed (nothing else is stored after close): then close the store.
   */
  close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.stall);
    clearInterval(this.sweeper);
    this.timers.close();
    for (const resolve of this.pumpWaiters.splice(0)) resolve();
    return this.durable?.close() ?? Promise.resolve();
  }

  private takeToken(token: string): TokenEntry {
    const t = this.liveToken(token);
    this.closeToken(token);
    return t;
  }

  /** The token's task if it still waits for an answer; TaskTimedOut once it has closed. */
  private liveToken(token: string): TokenEntry {
    const t = this.tokens.get(token);
    if (t && t.run.awaitsTask(t.actorId, t.taskId)) return t;
    if (t) this.closeToken(token);
    const arn = executionOfTaskToken(token);
    if (this.closedTokens.has(token) || (arn !== undefined && this.runs.has(arn))) throw new TaskTimedOut("Provided task does not exist anymore");
    throw new TaskDoesNotExist("Provided task does not exist");
  }

  private closeToken(token: string): void {
    this.tokens.delete(token);
    this.rememberClosed(token);
  }

  private rememberClosed(token: string): void {
    this.closedTokens.add(token);
    if (this.closedTokens.size > CLOSED_TOKENS_KEPT) this.closedTokens.delete(this.closedTokens.values().next().value as string);
  }

  private enqueue(apply: () => void): void {
    this.queue.push(apply);
    this.kick();
  }

  /** Makes sure the queue is pumped soon (a running pump drains what is queued, then commits). */
  private kick(): void {
    if (!this.scheduled && !this.pumping && !this.closed) {
      this.scheduled = true;
      setImmediate(() => this.pump());
    }
  }

  /**
   * Runs queued steps, then stores what they changed (durable executions); with virtual
   * time, fires the next timer when nothing else can move.
   */
  private pump(): void {
    this.scheduled = false;
    if (this.durable && !this.durable.ready) return;
    this.pumping = true;
    try {
      this.drain();
    } finally {
      this.pumping = false;
      for (const resolve of this.pumpWaiters.splice(0)) resolve();
    }
  }

  private drain(): void {
    for (;;) {
      while (this.queue.length > 0) {
        const batch = this.queue;
        this.queue = [];
        for (const apply of batch) apply();
      }
      this.durable?.flush();
      if (!this.virtualTimers || this.closed) return;
      if (this.inflight.size > 0) return this.armStall();
      // A commit in flight kicks the pump again when it has landed.
      if (this.durable?.busy) return;
      if (!this.virtualTimers.fireNext()) return;
    }
  }

  /** Virtual time with tasks in flight: skip to the next timer if nothing moves for a while. */
  private armStall(): void {
    clearTimeout(this.stall);
    if (!this.virtualTimers || this.virtualTimers.size === 0) return;
    const armedAt = performance.now();
    this.stall = setTimeout(() => {
      this.stall = undefined;
      if (this.closed || this.scheduled || this.queue.length > 0 || !this.virtualTimers || this.durable?.busy) return;
      // An adapter still at work (a function in a worker, an HTTP call) will settle: only idle
      // time is skipped, so while it works virtual time runs at real speed.
      if (this.bus.busy?.()) {
        if (this.virtualTimers.advanceBy(performance.now() - armedAt)) this.pump();
        else this.armStall();
        return;
      }
      if (this.virtualTimers.fireNext()) this.pump();
    }, VIRTUAL_STALL_MS);
  }

  // A durable execution's effects wait in its journal until its step is stored; the others act at once.
  private readonly host: RunHost = {
    now: () => this.clock.now(),
    enqueue: (apply) => this.enqueue(apply),
    setTimer: (run, id, dueAt, target) => {
      if (this.durable?.setTimer(run, id, dueAt, target)) return;
      const key = `${run.info.arn}#${id}`;
      let set = this.runTimers.get(run);
      if (!set) this.runTimers.set(run, (set = new Set()));
      set.add(key);
      this.timers.schedule(key, dueAt, () => {
        set.delete(key);
        this.enqueue(() => run.timerFired(target));
      });
    },
    clearTimer: (run, id) => {
      if (this.durable?.clearTimer(run, id)) return;
      const key = `${run.info.arn}#${id}`;
      this.runTimers.get(run)?.delete(key);
      this.timers.cancel(key);
    },
    dispatchTask: (run, actorId, effect) => {
      if (!this.durable?.dispatchTask(run, actorId, effect)) this.dispatch(run, actorId, effect);
    },
    finished: (run) => {
      if (!this.durable?.finished(run)) this.finished(run);
    },
    childEnded: (child, parent, body) => {
      // Shared stores: the parent may be another node's, or cached here at an older revision.
      const durable = this.durable;
      if (!this.shared || !durable) return false;
      // Told once the child's end is stored; a dropped copy's end never is (its live copy tells).
      const report = (): void => void this.reportChildEnd(parent, body);
      if (durable.afterStored(child, report) === "volatile") report();
      return true;
    },
    startChildExecution: (parent, mapRun, actorId, effect) => {
      const durable = this.durable;
      // Shared stores: a child starts once the step that launched it is stored. A step that
      // loses a race with another node is taken back, and its child must not have started;
      // nor may one launched by a dropped copy of the parent (the live copy launches its own).
      const child = startChildExecution(this.childHost, parent, mapRun, actorId, effect, (start) =>
        this.shared !== undefined && durable !== undefined && durable.afterStored(parent, start) !== "volatile");
      if (child) durable?.childLaunched(parent, child, actorId, effect);
    },
    mapRunOpened: (mapRun) => void this.mapRuns.set(mapRun.arn, mapRun),
    touched: (run) => this.durable?.touched(run),
  };

  private readonly childHost: ChildHost = {
    now: () => this.clock.now(),
    uuid: () => this.randomness.uuid(),
    enqueue: (apply) => this.enqueue(apply),
    register: (run) => {
      this.durable?.adopt(run);
      this.runs.set(run.info.arn, run);
    },
    runHost: this.host,
  };

  private readonly durableLink: DurableLink = {
    host: this.host,
    runs: this.runs,
    enqueue: (apply) => this.enqueue(apply),
    kick: () => this.kick(),
    compile: (definition) => this.compile(definition),
    dispatch: (run, actorId, effect) => this.dispatch(run, actorId, effect),
    registerToken: (token, run, actorId, taskId) => this.tokens.set(token, { run, actorId, taskId }),
    finished: (run) => this.finished(run),
    forget: (run) => this.forget(run),
    startChildAgain: (parent, start) => {
      const mapRun = start.effect.mapRunArn !== undefined ? parent.mapRuns.get(start.effect.mapRunArn) : undefined;
      // Only while its map run still waits for that item and holds no child for it.
      if (!mapRun || mapRun.status !== "RUNNING" || mapRun.children[start.effect.index] !== undefined) return;
      startChildExecution(this.childHost, parent, mapRun, start.actorId, start.effect, () => false, start);
    },
  };

  private dispatch(run: ExecutionRun, actorId: string, effect: DispatchEffect): void {
    const { taskId } = effect;
    if (effect.taskToken) this.tokens.set(effect.taskToken, { run, actorId, taskId });
    this.inflight.set(`${run.info.arn}#${taskId}`, run);
    // Shared stores: a stored execution's answers go by ARN; one that lives only here (Express) keeps its task here.
    const stored = this.shared !== undefined && this.durable?.pendingTask(run, taskId) !== undefined;
    if (this.shared && !stored) this.localTasks.set(`${run.info.arn}#${taskId}`, { run, actorId, effect });
    const reply = stored ? this.answerLater(run.info.arn, taskId) : this.replyFor(run, actorId, effect);
    this.bus.dispatch(
      {
        taskId, resource: effect.resource, payload: effect.payload, stateName: effect.stateName, executionArn: run.info.arn,
        ...(effect.taskToken ? { taskToken: effect.taskToken } : {}),
        ...(effect.activityToken ? { activityToken: effect.activityToken } : {}),
        ...(effect.timeoutSeconds ? { timeoutSeconds: effect.timeoutSeconds } : {}),
        ...(effect.heartbeatSeconds ? { heartbeatSeconds: effect.heartbeatSeconds } : {}),
        ...(this.durable?.startedBefore(run, taskId) ? { started: true } : {}),
      },
      reply,
    );
  }

  /** How a task's answers reach its run (the run object in memory: one process owns it). */
  private replyFor(run: ExecutionRun, actorId: string, effect: DispatchEffect): TaskReply {
    const { taskId } = effect;
    let settled = false;
    const key = `${run.info.arn}#${taskId}`;
    const dispatchedAt = this.clock.now();
    const settle = (outcome: "succeeded" | "failed"): boolean => {
      if (settled) return false;
      settled = true;
      this.inflight.delete(key);
      this.localTasks.delete(key);
      this.observer.taskSettled?.({ resource: effect.resource, outcome, latencyMs: this.clock.now() - dispatchedAt });
      return true;
    };
    const deliver = (body: TaskAnswer): void => this.answer(run, actorId, body);
    return {
      started: (worker) => {
        if (this.durable && !this.durable.firstStart(run, taskId)) return;
        deliver({ type: EVENTS.taskStarted, taskId, ...(worker?.workerName !== undefined ? { workerName: worker.workerName } : {}) });
      },
      succeeded: (output) => {
        if (!settle("succeeded")) return;
        // A callback task's own return value is not its result (that comes via SendTaskSuccess): it is what was submitted.
        if (!effect.taskToken) return deliver({ type: EVENTS.taskSucceeded, taskId, output });
        deliver({ type: EVENTS.taskSubmitted, taskId, output });
        this.durable?.handedOff(run, taskId);
      },
      failed: (error, cause) => {
        if (!settle("failed")) return;
        if (effect.taskToken) this.closeToken(effect.taskToken);
        deliver({ type: EVENTS.taskFailed, taskId, error, cause });
      },
      heartbeat: () => deliver({ type: EVENTS.taskHeartbeat, taskId }),
      submitted: (output) => {
        if (!settled) deliver({ type: EVENTS.taskSubmitted, taskId, output });
      },
      isOpen: () => !settled && run.awaitsTask(actorId, taskId),
    };
  }

  /**
   * Shared stores: the answers of a task run in this process (a local adapter) go the way a
   * worker's do, by execution ARN (`applyAnswer`), since the run in memory may be replaced
   * by a newer one from the store meanwhile.
   */
  private answerLater(arn: string, taskId: string): TaskReply {
    let settled = false;
    const send = (answer: WorkerAnswer): void => {
      const attempt = (): void => {
        if (this.closed) return;
        this.applyAnswer(arn, taskId, answer).then(
          (outcome) => {
            if (outcome === "retry") setTimeout(attempt, ANSWER_RETRY_MS).unref();
          },
          (err: unknown) => {
            consoleLog.error({ err, executionArn: arn, taskId }, "a task's answer could not be applied");
            setTimeout(attempt, ANSWER_RETRY_MS * 10).unref();
          },
        );
      };
      attempt();
    };
    const settle = (answer: WorkerAnswer): void => {
      if (settled) return;
      settled = true;
      send(answer);
    };
    return {
      started: (worker) => send({ type: "started", ...(worker?.workerName !== undefined ? { workerName: worker.workerName } : {}) }),
      succeeded: (output) => settle({ type: "succeeded", output }),
      failed: (error, cause) => settle({ type: "failed", error, ...(cause !== undefined ? { cause } : {}) }),
      heartbeat: () => send({ type: "heartbeat" }),
      submitted: (output) => send({ type: "submitted", output }),
      isOpen: () => {
        const run = this.runs.get(arn);
        return !settled && run !== undefined && this.durable?.pendingTask(run, taskId) !== undefined;
      },
    };
  }

  private finished(run: ExecutionRun): void {
    // A map run's child executions are the map run's business, not the metrics' executions.
    if (run.status !== "RUNNING" && run.info.mapRunArn === undefined) {
      this.observer.executionFinished?.({ executionArn: run.info.arn, status: run.status, durationMs: (run.stopDate ?? this.clock.now()) - run.info.startDate });
    }
    for (const key of this.runTimers.get(run) ?? []) this.timers.cancel(key);
    this.runTimers.delete(run);
    // A task still running for an execution that has ended no longer holds virtual time back.
    this.inflight.deleteRun(run);
    this.localTasks.deleteRun(run);
    for (const token of this.tokens.deleteRun(run)) this.rememberClosed(token);
    const waiters = this.waiters.get(run.info.arn) ?? [];
    this.waiters.delete(run.info.arn);
    const result = resultOf(run);
    for (const w of waiters) w(result);
  }
}

const consoleLog: EngineLog = {
  warn: (details, message) => console.warn(message, details),
  error: (details, message) => console.error(message, details),
};

function resultOf(run: ExecutionRun): ExecutionResult {
  return {
    executionArn: run.info.arn,
    status: run.status,
    ...(run.output !== undefined ? { output: run.output } : {}),
    ...(run.error !== undefined ? { error: run.error } : {}),
    ...(run.cause !== undefined ? { cause: run.cause } : {}),
    history: run.history,
  };
}
