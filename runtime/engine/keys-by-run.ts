/**
 * A map whose entries each belong to an execution run (tasks in flight, callback tokens):
 * when a run ends, its entries leave in one step instead of a scan of every entry, which
 * cost O(entries) per ended execution (10,000 executions waiting on callbacks made each end
 * walk 10,000 tokens).
 */
import type { ExecutionRun } from "./execution-run.js";

export class KeysByRun<V> {
  private readonly entries = new Map<string, V>();
  /**
   * Each run's keys. A run keeps its (possibly empty) set until `deleteRun`, so a run with
   * one task after another makes no new set per task; weak, so a run dropped without
   * `deleteRun` (a shared store's stale copy) takes its set with it.
   */
  private readonly byRun = new WeakMap<ExecutionRun, Set<string>>();

  constructor(private readonly runOf: (value: V) => ExecutionRun) {}

  /** How many entries there are, over every run. */
  get size(): number {
    return this.entries.size;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: V): void {
    this.delete(key);
    this.entries.set(key, value);
    const run = this.runOf(value);
    let keys = this.byRun.get(run);
    if (!keys) this.byRun.set(run, (keys = new Set()));
    keys.add(key);
  }

  delete(key: string): boolean {
    const value = this.entries.get(key);
    if (value === undefined) return false;
    this.entries.delete(key);
    this.byRun.get(this.runOf(value))?.delete(key);
    return true;
  }

  /** Removes every entry of `run`; returns their keys. */
  deleteRun(run: ExecutionRun): string[] {
    const keys = this.byRun.get(run);
    if (!keys) return [];
    this.byRun.delete(run);
    for (const key of keys) this.entries.delete(key);
    return [...keys];
  }
}
