/**
 * Durable executions (ARCHITECTURE.md "Persist, then act"): Standard executions, and the
 * child executions of their Distributed Maps, on an ExecutionStore.
 *
 * The engine applies each event to its run at once; what the outside world would see is
 * queued in the run's journal (task dispatches, timers, the end of the execution). When the
 * engine's queue has drained, every run that changed becomes one ExecutionChange (its image,
 * its new history events, its timer writes) and all of them go to the store in one commit,
 * so concurrent executions share a transaction. Only once the store said ok do the step's
 * effects run. Commits are pipelined (commit-pipeline.ts): what changes while they are in
 * flight goes in the next, which is how commits group under load.
 *
 * A conflict (someone else wrote the execution) or a commit that throws reloads the
 * execution from the store (its tasks dispatched again, its timers re-armed); a change the
 * store rejects is a bug, and the execution fails with States.Runtime.
 */
import type { CompiledStateMachine } from "../../../translators/load.js";
import { EVENTS } from "../../../translators/xstate/events.js";
import type { ExecutionChange, ExecutionStore, TimerRecord } from "../../ports/execution-store.js";
import type { TimerServiceV2 } from "../../ports/timer-service-v2.js";
import type { ExecutionRun, RunHost, TimerTarget } from "../execution-run.js";
import { CommitPipeline, type Step, type StepOutcomes } from "./commit-pipeline.js";
import { imageOf, summaryOf } from "./run-image.js";
import { RunJournal, type Answer, type ChildStart, type DispatchEffect, type TimerPayload } from "./run-journal.js";
import { linkFamily, loadRun, type LoadedRun } from "./stored-runs.js";

/** A fired timer whose step will not be stored (its run was reloaded, the engine closed): it stays, and fires again. */
export class TimerNotApplied extends Error {
  override readonly name = "TimerNotApplied";
  constructor(timerId: string) {
    super(`timer ${timerId} was not applied; it fires again`);
  }
}

/** Where the engine reports what goes wrong with the store (a pino logger fits). */
export interface EngineLog {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

/** What durable runs need from their engine. */
export interface DurableLink {
  readonly host: RunHost;
  readonly runs: Map<string, ExecutionRun>;
  enqueue(apply: () => void): void;
  /** Makes sure the engine's queue is pumped (and `flush` called) soon. */
  kick(): void;
  compile(definition: string): CompiledStateMachine;
  dispatch(run: ExecutionRun, actorId: string, effect: DispatchEffect): void;
  /** A callback task's token, honoured again after a restart. */
  registerToken(token: string, run: ExecutionRun, actorId: string, taskId: string): void;
  /** The execution's end is stored: waiters, observers, tokens. */
  finished(run: ExecutionRun): void;
  forget(run: ExecutionRun): void;
  /** Starts again a child execution the parent launched whose first step the store never got. */
  startChildAgain(parent: ExecutionRun, start: ChildStart): void;
}

export interface DurableOptions {
  readonly store: ExecutionStore;
  readonly timers: TimerServiceV2;
  readonly log: EngineLog;
  /** Keep finished executions in memory (else they leave it once their end is stored). */
  readonly keepFinished: boolean;
  /**
   * Other processes (distributed mode's runtime nodes) write this store too: the runs in
   * memory are a cache, checked against the store (`fresh`) before an outside event moves one.
   */
  readonly shared?: boolean;
}

/** What recovery found: executions running again, and the ones it could not read (logged). */
export interface RecoveryReport {
  readonly recovered: number;
  readonly skipped: readonly { readonly executionArn: string; readonly error: string }[];
}

const RUNNING_PAGE = 500;
/** Runs changed together, with no commit in flight, from which a flush is split in two (see `flush`). */
const SPLIT_AT = 8;

export class DurableRuns {
  readonly store: ExecutionStore;
  private readonly timers: TimerServiceV2;
  private readonly log: EngineLog;
  private readonly journals = new WeakMap<ExecutionRun, RunJournal>();
  private readonly dirty = new Set<ExecutionRun>();
  /** Runs that ended in memory and whose end is not stored yet. */
  private readonly ending = new WeakSet<ExecutionRun>();
  private readonly definitions = new WeakMap<CompiledStateMachine, string>();
  private readonly compiled = new Map<string, CompiledStateMachine>();
  private readonly pipeline: CommitPipeline;
  /** Fired timers waiting for their step to be stored, with the journal of their run. */
  private readonly firing = new Map<(stored: boolean) => void, RunJournal>();
  private recovery: Promise<RecoveryReport> | undefined;
  /** `fresh` reads in progress, by ARN (concurrent events for one execution share one read). */
  private readonly refreshing = new Map<string, Promise<ExecutionRun | undefined>>();
  /** Executions being read again after a conflict or a failed commit (`reload`). */
  private readonly reloading = new Set<string>();
  /** False until recovery has run: the engine holds its queue until then. */
  ready = false;

  /** `start()` was called. */
  get started(): boolean {
    return this.recovery !== undefined;
  }
  private closed = false;

  constructor(
    private readonly link: DurableLink,
    private readonly options: DurableOptions,
  ) {
    this.store = options.store;
    this.timers = options.timers;
    this.log = options.log;
    this.pipeline = new CommitPipeline(options.store, this.outcomes, () => this.link.kick());
  }

  /** Makes a new run durable: Standard executions, and child executions of a durable one. */
  adopt(run: ExecutionRun): void {
    const parent = run.parentLink?.run;
    const durable = parent ? this.journals.has(parent) : run.info.type !== "EXPRESS";
    if (durable) this.journals.set(run, new RunJournal(this.definitionOf(run.compiled)));
  }

  /** True while a commit is in flight or changes wait for one (virtual time must not skip ahead). */
  get busy(): boolean {
    return this.pipeline.busy || this.dirty.size > 0;
  }

  /** The run has ended in memory but its end is not stored yet (its result is not given out before). */
  isEnding(run: ExecutionRun): boolean {
    return this.ending.has(run);
  }

  // RunHost's hooks: each returns false for a run that is not durable (the engine acts at once).

  touched(run: ExecutionRun): void {
    if (!this.journals.has(run)) return;
    this.dirty.add(run);
    this.link.kick();
  }

  setTimer(run: ExecutionRun, id: string, dueAt: number, target: TimerTarget): boolean {
    const journal = this.journals.get(run);
    journal?.setTimer(id, { dueAt, target });
    return journal !== undefined;
  }

  clearTimer(run: ExecutionRun, id: string): boolean {
    const journal = this.journals.get(run);
    journal?.clearTimer(id);
    return journal !== undefined;
  }

  dispatchTask(run: ExecutionRun, actorId: string, effect: DispatchEffect): boolean {
    const journal = this.journals.get(run);
    if (!journal) return false;
    journal.dispatched(actorId, effect);
    // A task the actor stopped waiting for while the step was being stored is not sent.
    journal.afterCommit(() => {
      if (run.awaitsTask(actorId, effect.taskId)) this.link.dispatch(run, actorId, effect);
    });
    return true;
  }

  finished(run: ExecutionRun): boolean {
    const journal = this.journals.get(run);
    if (!journal) return false;
    journal.clearTimers();
    this.ending.add(run);
    journal.afterCommit(() => {
      this.ending.delete(run);
      if (run.status === "RUNNING") return;
      this.link.finished(run);
      if (!this.options.keepFinished && run.info.mapRunArn === undefined) this.link.forget(run);
    });
    return true;
  }

  /** A Distributed Map child launched: the parent keeps it until the child's first step is stored. */
  childLaunched(parent: ExecutionRun, child: ExecutionRun, actorId: string, effect: ChildStart["effect"]): void {
    const journal = this.journals.get(parent);
    if (!journal || journal.dead) return;
    journal.childStarts.set(child.info.arn, { arn: child.info.arn, name: child.info.name, actorId, effect });
  }

  /** Child starts whose child is stored now are no longer kept (the step being taken writes the rest). */
  private pruneChildStarts(journal: RunJournal): void {
    for (const arn of journal.childStarts.keys()) {
      const child = this.link.runs.get(arn);
      const stored = child !== undefined && (this.journals.get(child)?.revision ?? 0) > 0;
      if (stored) journal.childStarts.delete(arn);
    }
  }

  /**
   * A child the loaded parent launched and the store does not have (its launcher died between
   * the parent's step and the child's first): started again under its ARN. Two processes that
   * both do so create it once (the second create conflicts and reads the first).
   */
  private async startAgain(run: ExecutionRun, journal: RunJournal, start: ChildStart): Promise<void> {
    if (this.link.runs.has(start.arn)) return;
    try {
      if (await this.store.load(start.arn)) return;
    } catch (error) {
      return this.log.error({ executionArn: start.arn, err: error }, "cannot read this child execution: it is not started again now");
    }
    if (journal.dead || run.status !== "RUNNING" || this.link.runs.has(start.arn)) return;
    this.log.warn({ executionArn: start.arn, parent: run.info.arn }, "a child execution was launched but never stored: starting it again");
    this.link.startChildAgain(run, start);
  }

  /** A task answered (its result, failure, heartbeat or start): kept until stored, for a reload. */
  answered(run: ExecutionRun, actorId: string, body: Answer["body"]): void {
    const journal = this.journals.get(run);
    if (!journal) return;
    journal.answered({ actorId, body });
    if (body.type === EVENTS.taskStarted) {
      const task = journal.tasks.get(body.taskId);
      if (task) task.started = true;
    }
  }

  /** A callback task's dispatch went through: after a restart its token is honoured, the task not sent again. */
  handedOff(run: ExecutionRun, taskId: string): void {
    const task = this.journals.get(run)?.tasks.get(taskId);
    if (!task || task.handedOff) return;
    task.handedOff = true;
    this.touched(run);
  }

  /**
   * A task reports it started: false when its Started event is already in the history (the
   * task was dispatched again after a restart), so the history holds one.
   */
  firstStart(run: ExecutionRun, taskId: string): boolean {
    const task = this.journals.get(run)?.tasks.get(taskId);
    if (!task) return true;
    if (task.started) return false;
    task.started = true;
    return true;
  }

  /** The task's Started event is in the run already (a worker had it): true for a task dispatched again after a restart that had started. */
  startedBefore(run: ExecutionRun, taskId: string): boolean {
    return this.journals.get(run)?.tasks.get(taskId)?.started === true;
  }

  /** A stored timer is due: applied once its execution still waits for it; resolves once that step is stored. */
  readonly onTimer = async (timer: TimerRecord): Promise<void> => {
    const { arn, id } = timer.payload as TimerPayload;
    const run = this.options.shared ? await this.fresh(arn) : this.link.runs.get(arn);
    const journal = run && this.journals.get(run);
    const current = journal?.timers.get(id);
    if (!run || !journal || !current || current.dueAt !== timer.dueAt || run.status !== "RUNNING") {
      // Shared stores: a run with steps in flight may not know a timer another node set (or
      // may lose the step that ended it); only a run as stored can tell a timer is obsolete.
      if (run && journal && this.aheadOfStore(run, journal)) throw new TimerNotApplied(timer.timerId);
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      // Settled once the step it causes is stored; rejected (the timer stays in the store and
      // fires again) when that step will not be: the run is reloaded or the engine closes.
      let settled = false;
      const settle = (stored: boolean): void => {
        if (settled) return;
        settled = true;
        this.firing.delete(settle);
        if (stored) resolve();
        else reject(new TimerNotApplied(timer.timerId));
      };
      this.firing.set(settle, journal);
      this.link.enqueue(() => {
        if (settled) return;
        if (journal.dead || this.closed) return settle(false);
        if (journal.timers.get(id) !== current) {
          // Set again or ended meanwhile: obsolete once that step is stored (a step that is
          // not, reloaded, hands the timer back through settle(false)).
          journal.afterCommit(() => settle(true));
          return this.touched(run);
        }
        journal.clearTimer(id);
        journal.afterCommit(() => settle(true));
        this.touched(run);
        run.timerFired(current.target);
      });
    });
  };

  /**
   * The execution as the store holds it now (shared stores: another node may have moved it
   * on). A cached run is kept while it is what the store holds, or while its own commits are
   * in flight (a conflict reloads it); otherwise it is read again and put back to work: its
   * undelivered tasks dispatched again under the same task ids (JetStream drops repeats by
   * Msg-Id, workers by task claim), its timers armed again. Undefined when the store has none.
   */
  fresh(arn: string): Promise<ExecutionRun | undefined> {
    let reading = this.refreshing.get(arn);
    if (!reading) {
      reading = this.refresh(arn).finally(() => this.refreshing.delete(arn));
      this.refreshing.set(arn, reading);
    }
    return reading;
  }

  private async refresh(arn: string): Promise<ExecutionRun | undefined> {
    const cached = this.link.runs.get(arn);
    const journal = cached && this.journals.get(cached);
    // Not durable (an Express execution): it lives only in this process.
    if (cached && !journal) return cached;
    if (cached && journal && !journal.dead) {
      if (this.aheadOfStore(cached, journal)) return cached;
      const stored = await this.store.load(arn);
      // Dropped or replaced meanwhile (a resync, a reload): look again. Undefined must mean
      // "the store has none": a timer or an answer for it would be acknowledged and lost.
      if (this.link.runs.get(arn) !== cached) return this.refresh(arn);
      if (this.aheadOfStore(cached, journal)) return cached;
      if (stored?.revision === journal.revision) return cached;
      journal.dead = true;
      this.unsettleTimers(journal);
      this.link.runs.delete(arn);
    }
    const run = await this.load(arn);
    // Finished elsewhere: it is read, not kept.
    if (run && run.status !== "RUNNING" && !this.options.keepFinished && run.info.mapRunArn === undefined) this.link.forget(run);
    return run;
  }

  /**
   * Lets go of a cached run that the store holds as it is (nothing of it in flight), so the
   * next `fresh` reads it again and puts it back to work: its tasks dispatched again, its
   * timers armed again (after a JetStream server crash, which can lose the last messages
   * it had acknowledged).
   */
  private dropCached(arn: string): boolean {
    const cached = this.link.runs.get(arn);
    const journal = cached && this.journals.get(cached);
    if (!cached || !journal || journal.dead || this.aheadOfStore(cached, journal)) return false;
    journal.dead = true;
    this.unsettleTimers(journal);
    this.link.runs.delete(arn);
    return true;
  }

  /** A cached run's undelivered tasks dispatched again and its timers armed again (as after a load). */
  private resumeCached(arn: string): void {
    const run = this.link.runs.get(arn);
    if (run) this.resume(run);
  }

  /** Changes of the run that the store does not hold yet, or commits of it in flight. */
  private aheadOfStore(run: ExecutionRun, journal: RunJournal): boolean {
    return this.dirty.has(run) || journal.issuedRevision !== journal.revision || journal.unstoredAnswers().length > 0;
  }

  /**
   * Shared stores: every RUNNING execution is checked against the store, and the ones this
   * process does not hold at their stored revision are read and put back to work. A node
   * that died between storing a step and running its effects (dispatching its tasks,
   * publishing its timers) leaves work only a sweep finds. Returns how many were read again.
   */
  async sweep(options: { readonly reread?: boolean } = {}): Promise<number> {
    let reread = 0;
    let unread = 0;
    let cursor: string | undefined;
    do {
      const page = await this.store.listRunning({ limit: RUNNING_PAGE, ...(cursor !== undefined ? { cursor } : {}) });
      for (const arn of page.items) {
        if (this.closed) return reread;
        const before = this.link.runs.get(arn);
        try {
          // One with steps in flight stays, but its tasks and timers go out again too.
          if (options.reread && !this.dropCached(arn)) this.resumeCached(arn);
          if ((await this.fresh(arn)) !== before) reread++;
        } catch (error) {
          this.log.error({ executionArn: arn, err: error }, "cannot read this execution while sweeping: skipped");
          unread++;
        }
      }
      cursor = page.cursor;
    } while (cursor !== undefined);
    // A reread that could not read everything (a server still coming back) is tried again by its caller.
    if (options.reread && unread > 0) throw new Error(`${unread} running executions could not be read again`);
    return reread;
  }

  /** The actor and dispatch of a task the run waits for (undefined: it does not, or the run is not durable). */
  pendingTask(run: ExecutionRun, taskId: string): { readonly actorId: string; readonly effect: DispatchEffect } | undefined {
    const task = this.journals.get(run)?.tasks.get(taskId);
    return task && run.awaitsTask(task.actorId, taskId) ? task : undefined;
  }

  /**
   * Runs `effect` once the run's next commit has landed (never if it does not): "deferred".
   * "dropped": this is a copy of the run that this process let go of (a reload or a sweep
   * read it again), whose steps are never stored; the copy that replaced it acts for itself.
   * "volatile": the run is not durable (Express), so nothing waits for the store.
   */
  afterStored(run: ExecutionRun, effect: () => void): "deferred" | "dropped" | "volatile" {
    const journal = this.journals.get(run);
    if (!journal) return "volatile";
    if (journal.dead) return "dropped";
    journal.afterCommit(effect);
    this.touched(run);
    return "deferred";
  }

  /** True while an answer for the task is applied in memory but no landed commit holds it. */
  answerUnstored(arn: string, taskId: string): boolean {
    return this.unstored(arn, (body) => "taskId" in body && body.taskId === taskId);
  }

  /** True while a child execution's end (iteration `index` of `batch`) is applied to its parent `arn` in memory but not stored. */
  childEndUnstored(arn: string, batch: string, index: number): boolean {
    return this.unstored(arn, (body) => "batch" in body && body.batch === batch && "index" in body && body.index === index);
  }

  private unstored(arn: string, matches: (body: Answer["body"]) => boolean): boolean {
    // Being read again after a conflict: its answers are applied again once it is back, not stored yet.
    if (this.reloading.has(arn)) return true;
    const run = this.link.runs.get(arn);
    const journal = run && this.journals.get(run);
    return journal !== undefined && journal.unstoredAnswers().some((a) => matches(a.body));
  }

  /** Timers whose step is not stored yet are handed back to the timer service, to fire again. */
  private unsettleTimers(journal?: RunJournal): void {
    for (const [settle, of] of this.firing) if (journal === undefined || of === journal) settle(false);
  }

  /** Commits what changed since the last commit, unless enough are in flight (the engine calls this when its queue is empty). */
  flush(): void {
    if (this.pipeline.full || this.dirty.size === 0 || this.closed) return;
    // With nothing in flight, many runs changed together: they all waited for one commit, and
    // would again. Half goes now and half a turn later (another transaction), so from then on
    // one half computes while the other's commit is written, instead of taking turns.
    const split = !this.pipeline.busy && this.dirty.size >= SPLIT_AT;
    let take = split ? Math.ceil(this.dirty.size / 2) : this.dirty.size;
    const steps: Step[] = [];
    for (const run of this.dirty) {
      if (take-- === 0) break;
      this.dirty.delete(run);
      const step = this.stepOf(run);
      if (step) steps.push(step);
    }
    this.pipeline.issue(steps);
    if (this.dirty.size > 0) setImmediate(() => this.link.kick());
  }

  /** Resolves once every change made so far is stored (or the store refused it). */
  whenStored(): Promise<void> {
    if (this.closed) return Promise.resolve();
    // Changes waiting go in the next commit; without any, the last one issued is the last.
    return this.pipeline.settledAfter(this.dirty.size > 0 ? 1 : 0);
  }

  private stepOf(run: ExecutionRun): Step | undefined {
    const journal = this.journals.get(run);
    if (!journal || journal.dead) return undefined;
    if (journal.childStarts.size > 0) this.pruneChildStarts(journal);
    const { set, cancel, effects, answers } = journal.take(run.info.arn, (actorId, taskId) => run.awaitsTask(actorId, taskId));
    const historyLength = run.history.length;
    const events = run.history.slice(journal.issuedHistory);
    const change: ExecutionChange = {
      expectedRevision: journal.issuedRevision,
      summary: summaryOf(run),
      // The stores encode the state within commit(), before anything else runs: the image
      // may share objects (actor contexts) that later steps change.
      state: imageOf(run, journal),
      ...(events.length > 0 ? { events } : {}),
      ...(set.length > 0 || cancel.length > 0 ? { timers: { set, cancel } } : {}),
    };
    journal.issuedRevision++;
    journal.issuedHistory = historyLength;
    return { run, journal, change, timers: { set, cancel }, effects, historyLength, answers, epoch: journal.epoch };
  }

  private readonly outcomes: StepOutcomes = {
    landed: (step, revision) => {
      const { journal } = step;
      journal.revision = revision;
      journal.historyLength = step.historyLength;
      journal.storedAnswers(step.answers);
      if (this.closed) return;
      this.timers.committed(step.timers);
      for (const effect of step.effects) effect();
    },
    conflicted: (step, storedRevision) => {
      const { run, journal } = step;
      this.log.warn({ executionArn: run.info.arn, storedRevision, expectedRevision: step.change.expectedRevision }, "execution changed in the store meanwhile: reloading it");
      void this.reload(run, journal);
    },
    rejected: (step, reason) => {
      const { run, journal } = step;
      this.log.error({ executionArn: run.info.arn, reason }, "the store rejected a step of this execution (a bug): it fails with States.Runtime");
      if (journal.rejected) {
        // Even its failure was refused: nothing more of it is stored, its end is told from memory.
        journal.dead = true;
        this.unsettleTimers(journal);
        this.ending.delete(run);
        if (run.status !== "RUNNING") this.link.finished(run);
        return;
      }
      journal.rejected = true;
      journal.reset();
      run.failAfter(journal.historyLength, `The execution's state could not be stored: ${reason}`);
    },
    failed: (step, error) => {
      const { run, journal } = step;
      if (journal.dead) return;
      this.log.error({ executionArn: run.info.arn, err: error }, "storing a step of this execution failed: reloading it");
      void this.reload(run, journal);
    },
  };

  /**
   * Recovery at start-up: every RUNNING execution in the store is loaded, its callback
   * tokens honoured again, the tasks it never had an answer for dispatched again under the
   * same task id, and its timers armed with the time that remains. An execution that cannot
   * be read is logged and skipped. Then the engine's queue runs.
   */
  start(): Promise<RecoveryReport> {
    this.recovery ??= this.recover().then(async (report) => {
      await this.timers.start(this.onTimer);
      for (const run of this.link.runs.values()) this.armTimers(run);
      this.ready = true;
      this.link.kick();
      return report;
    });
    return this.recovery;
  }

  private async recover(): Promise<RecoveryReport> {
    const loaded: LoadedRun[] = [];
    const skipped: { executionArn: string; error: string }[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.store.listRunning({ limit: RUNNING_PAGE, ...(cursor !== undefined ? { cursor } : {}) });
      for (const arn of page.items) {
        try {
          const one = await this.loadOne(arn);
          if (one) loaded.push(one);
        } catch (error) {
          this.log.error({ executionArn: arn, err: error }, "cannot recover this execution: skipped");
          skipped.push({ executionArn: arn, error: (error as Error).message });
        }
      }
      cursor = page.cursor;
    } while (cursor !== undefined);
    await linkFamily(loaded, (arn) => this.link.runs.get(arn), (arn) => this.loadFinished(arn));
    for (const { run } of loaded) this.resume(run);
    return { recovered: loaded.length, skipped };
  }

  /**
   * An execution the engine no longer holds, read back from the store (RedriveExecution of
   * one that left memory); undefined when the store has none.
   */
  async load(arn: string): Promise<ExecutionRun | undefined> {
    const known = this.link.runs.get(arn);
    if (known) return known;
    const one = await this.loadOne(arn);
    if (!one) return undefined;
    await linkFamily([one], (a) => this.link.runs.get(a), (a) => this.loadFinished(a));
    this.resume(one.run);
    return one.run;
  }

  private async loadOne(arn: string): Promise<LoadedRun | undefined> {
    const one = await loadRun({ store: this.store, host: this.link.host, compile: (text) => this.compileStored(text) }, arn);
    if (!one) return undefined;
    this.journals.set(one.run, one.journal);
    this.link.runs.set(arn, one.run);
    return one;
  }

  /** A child execution its parent names (undefined: not stored yet, or unreadable), linked to its parent and its own children. */
  private async loadFinished(arn: string): Promise<ExecutionRun | undefined> {
    try {
      const one = await this.loadOne(arn);
      if (!one) return undefined;
      // Without its parent's ARN, a child this node ends would not report its end.
      await linkFamily([one], (a) => this.link.runs.get(a), (a) => this.loadFinished(a));
      return one.run;
    } catch (error) {
      this.log.error({ executionArn: arn, err: error }, "cannot read this child execution");
      return undefined;
    }
  }

  /** Puts a loaded run back to work: tokens, undelivered tasks, timers (once the timers run). */
  private resume(run: ExecutionRun): void {
    const journal = this.journals.get(run);
    if (!journal || run.status !== "RUNNING") return;
    for (const start of journal.childStarts.values()) void this.startAgain(run, journal, start);
    for (const [taskId, task] of journal.tasks) {
      if (!run.awaitsTask(task.actorId, taskId)) continue;
      const token = task.effect.taskToken;
      if (task.handedOff && token !== undefined) this.link.registerToken(token, run, task.actorId, taskId);
      else this.link.dispatch(run, task.actorId, task.effect);
    }
    if (this.ready) this.armTimers(run);
  }

  private armTimers(run: ExecutionRun): void {
    const journal = this.journals.get(run);
    if (journal && run.status === "RUNNING") this.timers.committed({ set: journal.timerRecords(run.info.arn) });
  }

  /** After a conflict or a failed commit: the execution as the store has it replaces the one in memory. */
  private async reload(run: ExecutionRun, journal: RunJournal): Promise<void> {
    const arn = run.info.arn;
    this.reloading.add(arn);
    try {
      await this.reloadNow(run, journal);
    } finally {
      this.reloading.delete(arn);
    }
  }

  private async reloadNow(run: ExecutionRun, journal: RunJournal): Promise<void> {
    const arn = run.info.arn;
    journal.dead = true;
    this.unsettleTimers(journal);
    this.dirty.delete(run);
    if (this.link.runs.get(arn) === run) this.link.runs.delete(arn);
    try {
      const one = await this.loadOne(arn);
      if (!one) return;
      await linkFamily([one], (a) => this.link.runs.get(a), (a) => this.loadFinished(a));
      const storedFinished = one.run.status !== "RUNNING";
      // The retry: task answers the lost steps had applied, applied again before any task is sent again.
      for (const { actorId, body } of journal.unstoredAnswers()) {
        this.answered(one.run, actorId, body);
        one.run.deliver(actorId, body);
      }
      this.resume(one.run);
      if (storedFinished) this.link.finished(one.run);
    } catch (error) {
      this.log.error({ executionArn: arn, err: error }, "cannot reload this execution: it stays out of memory until a restart recovers it");
    }
  }

  private definitionOf(compiled: CompiledStateMachine): string {
    let text = this.definitions.get(compiled);
    if (text === undefined) this.definitions.set(compiled, (text = JSON.stringify(compiled.definition)));
    return text;
  }

  /** Executions of one definition share one compiled machine after a restart. */
  private compileStored(text: string): CompiledStateMachine {
    let compiled = this.compiled.get(text);
    if (!compiled) {
      compiled = this.link.compile(text);
      this.compiled.set(text, compiled);
      this.definitions.set(compiled, text);
    }
    return compiled;
  }

  /** Stops committing and delivering timers; what is stored stays for the next start. */
  async close(): Promise<void> {
    this.closed = true;
    this.pipeline.releaseAll();
    this.unsettleTimers();
    await Promise.all([this.pipeline.drain(), this.timers.close()]);
  }
}
