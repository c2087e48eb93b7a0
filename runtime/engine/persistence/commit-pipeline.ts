/**
 * Commits of durable steps, pipelined: a commit goes to the store as soon as it is issued
 * (the store groups what arrives together into one transaction), up to `depth` commits
 * are in flight, and their outcomes are handled strictly in the order they were issued,
 * so a run's effects run in the order of its steps. A commit for an execution whose
 * previous commit is still in flight expects the revision that one will make; the store
 * lands it only if the previous one landed.
 */
import type { CommitOutcome, ExecutionChange, ExecutionStore, TimerRecord } from "../../ports/execution-store.js";
import type { ExecutionRun } from "../execution-run.js";
import type { RunJournal } from "./run-journal.js";

/** One run's step: the change for the store, and what to do once it landed. */
export interface Step {
  readonly run: ExecutionRun;
  readonly journal: RunJournal;
  readonly change: ExecutionChange;
  readonly timers: { readonly set: TimerRecord[]; readonly cancel: string[] };
  readonly effects: readonly (() => void)[];
  /** The run's history length this step stores up to. */
  readonly historyLength: number;
  /** The journal's count of task answers this step holds. */
  readonly answers: number;
  /** The journal's epoch when issued: outcomes of an older epoch are stale. */
  readonly epoch: number;
}

export interface StepOutcomes {
  landed(step: Step, revision: number): void;
  conflicted(step: Step, storedRevision: number): void;
  rejected(step: Step, reason: string): void;
  /** The commit threw (an unreadable record, an I/O error): its outcome is unknown. */
  failed(step: Step, error: unknown): void;
}

export class CommitPipeline {
  private tail: Promise<void> = Promise.resolve();
  private inFlight = 0;
  private issued = 0;
  private settled = 0;
  private waiters: { readonly commit: number; readonly resolve: () => void }[] = [];

  constructor(
    private readonly store: ExecutionStore,
    private readonly outcomes: StepOutcomes,
    /** Told after each commit has been handled. */
    private readonly onSettled: () => void,
    private readonly depth = 2,
  ) {}

  /** True while another commit may not be issued yet. */
  get full(): boolean {
    return this.inFlight >= this.depth;
  }

  get busy(): boolean {
    return this.inFlight > 0;
  }

  /** Issues one commit of these steps now; their outcomes are handled after those of earlier commits. */
  issue(steps: readonly Step[]): void {
    this.issued++;
    this.inFlight++;
    const outcome = steps.length > 0 ? this.store.commit(steps.map((s) => s.change)) : Promise.resolve([]);
    const handled = this.tail.then(() => outcome).then(
      (outcomes) => steps.forEach((step, i) => this.handle(step, outcomes[i] as CommitOutcome)),
      (error: unknown) => steps.forEach((step) => this.outcomes.failed(step, error)),
    );
    this.tail = handled.finally(() => {
      this.inFlight--;
      this.settled++;
      this.release();
      this.onSettled();
    });
  }

  private handle(step: Step, outcome: CommitOutcome): void {
    if (step.epoch !== step.journal.epoch || step.journal.dead) return;
    if (outcome.status === "ok") this.outcomes.landed(step, outcome.revision);
    else if (outcome.status === "conflict") this.outcomes.conflicted(step, outcome.revision);
    else this.outcomes.rejected(step, outcome.reason);
  }

  /** Resolves once the commit issued `ahead` commits from now has been handled. */
  settledAfter(ahead: number): Promise<void> {
    const commit = this.issued + ahead;
    if (this.settled >= commit) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ commit, resolve }));
  }

  /** Resolves once every commit issued so far has been handled. */
  drain(): Promise<void> {
    return this.tail;
  }

  /** Lets every waiter go (the engine closes). */
  releaseAll(): void {
    for (const w of this.waiters.splice(0)) w.resolve();
  }

  private release(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) {
      if (w.commit <= this.settled) w.resolve();
      else this.waiters.push(w);
    }
  }
}
