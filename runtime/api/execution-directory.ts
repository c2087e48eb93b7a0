/**
 * Where the API finds a Standard execution: in the engine's memory while it is there (the
 * live run, freshest), else in the store, once the engine has let it go (finished runs
 * leave memory so memory stays flat) or before a restart has brought it back. With no
 * store, the engine's memory is all there is.
 */
import type { Engine } from "../engine/engine.js";
import { MAX_HISTORY_EVENTS, type ExecutionRun } from "../engine/execution-run.js";
import { MAX_OPEN_MS, REDRIVABLE_PERIOD_MS, type RedriveVerdict } from "../engine/redrive.js";
import type { ExecutionStatus } from "../engine/execution-status.js";
import { InvalidCursorError, type ExecutionStore, type ExecutionSummary, type HistoryEvent } from "../ports/execution-store.js";
import { decodeToken, encodeToken, invalidToken } from "./execution-pages.js";
import { stateMachineOf, summaryOf } from "./execution-views.js";

/** An execution found: the live run when the engine holds it, and its summary either way. */
export interface FoundExecution {
  readonly run?: ExecutionRun;
  readonly summary: ExecutionSummary;
  /** How many history events it has. */
  readonly historyLength: number;
}

/** One page of a listing; `next` continues it (a token's key). */
export interface ListedPage {
  readonly items: readonly ExecutionSummary[];
  readonly next?: string;
}

export interface ListQuery {
  /** The state machine, version or alias ARN executions are listed under. */
  readonly arn: string;
  readonly status?: ExecutionStatus;
  /** Further conditions (redrive filter), on summaries. */
  readonly keep: (s: ExecutionSummary) => boolean;
  readonly max: number;
  /** The previous page's `next`; undefined for the first page. */
  readonly token?: string;
  /** Ties tokens to one listing (InvalidToken for a token of another). */
  readonly scope: string;
}

/** Where a merged listing stands: the last key it returned, and where the store's part resumes. */
interface Position {
  readonly startDate: number;
  readonly arn: string;
  /** The store cursor to read from again (its page may hold items not returned yet). */
  readonly cursor?: string;
  /** The store has nothing more. */
  readonly done?: boolean;
}

/** Newest first: start date, then ARN, both descending (the store's order). */
const newerFirst = (a: ExecutionSummary, b: ExecutionSummary): number =>
  b.startDate - a.startDate || (a.executionArn < b.executionArn ? 1 : a.executionArn > b.executionArn ? -1 : 0);

const comesAfter = (s: ExecutionSummary, p: Position): boolean =>
  s.startDate < p.startDate || (s.startDate === p.startDate && s.executionArn < p.arn);

export class ExecutionDirectory {
  constructor(
    private readonly engine: Engine,
    private readonly store: ExecutionStore | undefined,
  ) {}

  /** True when executions may live in the store beside the engine's memory. */
  get durable(): boolean {
    return this.store !== undefined;
  }

  /** The execution with this ARN (Express executions are never found: they are not kept). */
  async find(arn: string): Promise<FoundExecution | undefined> {
    // Another node may have moved a shared store's execution on: its stored summary is the truth.
    const run = this.engine.sharesStore ? undefined : this.engine.getExecution(arn);
    if (run) return run.info.type === "EXPRESS" ? undefined : { run, summary: summaryOf(run), historyLength: run.history.length };
    const stored = await this.store?.load(arn);
    return stored && stored.summary.type !== "EXPRESS" ? { summary: stored.summary, historyLength: stored.historyLength } : undefined;
  }

  /** True when the store holds an execution with this ARN (the engine may have let it go). */
  async stored(arn: string): Promise<boolean> {
    return (await this.store?.readHistory(arn, { limit: 1 })) !== undefined;
  }

  /**
   * A page of a stored execution's history, from the event id `from` (the first one in
   * reading order when undefined); `next` is the id of the event after the page.
   */
  async storedHistory(arn: string, reverse: boolean, max: number, from: number | undefined): Promise<{ events: readonly HistoryEvent[]; next?: number } | undefined> {
    if (!this.store) return undefined;
    const afterId = from === undefined ? undefined : reverse ? from + 1 : from - 1;
    const page = await this.store.readHistory(arn, { reverse, limit: max, ...(afterId !== undefined ? { afterId } : {}) });
    if (!page) return undefined;
    return page.next === undefined ? { events: page.events } : { events: page.events, next: reverse ? page.next - 1 : page.next + 1 };
  }

  /**
   * DescribeExecution's redrive verdict for an execution the engine no longer holds, from
   * what the store keeps (the engine's own verdict, redrive.ts, on the run it would load).
   * A map run's child is redriven through its parent.
   */
  storedVerdict(found: FoundExecution): RedriveVerdict {
    const { summary: s } = found;
    const now = this.engine.clock.now();
    const no = (reason: string): RedriveVerdict => ({ status: "NOT_REDRIVABLE", reason });
    if (s.status === "RUNNING" || s.status === "SUCCEEDED") return no(`Execution is ${s.status} and cannot be redriven`);
    if (found.historyLength >= MAX_HISTORY_EVENTS) return no("Execution history event limit exceeded");
    if (now - s.startDate > MAX_OPEN_MS) return no("Execution has exceeded the max execution time");
    if (now - (s.stopDate ?? now) > REDRIVABLE_PERIOD_MS) return no("Execution redrivable period exceeded");
    return { status: s.mapRunArn !== undefined ? "REDRIVABLE_BY_MAP_RUN" : "REDRIVABLE" };
  }

  /**
   * ListExecutions over the engine's memory and the store together, newest first, each
   * execution once (the live run wins). `after` names the last execution returned and
   * where the store's part resumes, so executions leaving memory between pages move nothing.
   */
  async list(query: ListQuery): Promise<ListedPage> {
    const position = query.token === undefined ? undefined : readPosition(query.token, query.scope);
    const live = this.liveMatches(query, position);
    const { stored, done, resumeAt } = await this.storedMatches(query, position);
    const merged = [...live, ...stored.map((x) => x.summary)].sort(newerFirst);
    const items = merged.slice(0, query.max);
    const last = items.at(-1);
    if (!last || (done && merged.length <= query.max)) return { items };
    // The store's part resumes at the page holding its first item not returned (read again, skipping what was).
    const returned = new Set(items);
    const firstLeft = stored.find((x) => !returned.has(x.summary));
    const cursor = firstLeft ? firstLeft.cursor : resumeAt;
    const next: Position = { startDate: last.startDate, arn: last.executionArn, ...(cursor !== undefined ? { cursor } : {}), ...(done && !firstLeft ? { done: true } : {}) };
    return { items, next: encodeToken(JSON.stringify(next), query.scope) };
  }

  private liveMatches(query: ListQuery, position: Position | undefined): ExecutionSummary[] {
    const found: ExecutionSummary[] = [];
    for (const run of this.engine.executions()) {
      if (run.info.type === "EXPRESS") continue;
      if (query.status !== undefined && run.status !== query.status) continue;
      const s = summaryOf(run, false);
      if (!listedUnder(s, query.arn) || (position && !comesAfter(s, position)) || !query.keep(s)) continue;
      found.push(s);
    }
    // One more than a page: then the merged page knows there is more.
    return found.sort(newerFirst).slice(0, query.max + 1);
  }

  /** Up to `max` stored executions after `position` that the engine does not hold, each with the cursor that read it. */
  private async storedMatches(query: ListQuery, position: Position | undefined): Promise<{ stored: { summary: ExecutionSummary; cursor: string | undefined }[]; done: boolean; resumeAt: string | undefined }> {
    const stored: { summary: ExecutionSummary; cursor: string | undefined }[] = [];
    let cursor = position?.cursor;
    let done = !this.store || position?.done === true;
    while (!done && stored.length < query.max && this.store) {
      const page = await this.store.listExecutions({ arn: query.arn, limit: query.max, ...(query.status ? { status: query.status } : {}), ...(cursor !== undefined ? { cursor } : {}) })
        .catch((e: unknown) => {
          throw e instanceof InvalidCursorError ? invalidToken(cursor ?? "") : e;
        });
      for (const summary of page.items) {
        if (position && !comesAfter(summary, position)) continue;
        if (this.engine.getExecution(summary.executionArn) || !query.keep(summary)) continue;
        stored.push({ summary, cursor });
      }
      if (page.cursor === undefined) done = true;
      else cursor = page.cursor;
    }
    return { stored, done, resumeAt: cursor };
  }
}

/** Whether a ListExecutions `stateMachineArn` (state machine, version or alias) lists this execution. */
const listedUnder = (s: ExecutionSummary, arn: string): boolean =>
  stateMachineOf(s) === arn || s.stateMachineVersionArn === arn || s.stateMachineAliasArn === arn;

function readPosition(token: string, scope: string): Position {
  const key = decodeToken(token, scope);
  try {
    const p = JSON.parse(key) as Partial<Position>;
    if (typeof p.startDate === "number" && typeof p.arn === "string" && (p.cursor === undefined || typeof p.cursor === "string")) return p as Position;
  } catch {
    // fall through
  }
  throw invalidToken(token);
}
