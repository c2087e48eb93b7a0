/**
 * Page sizes and cursors shared by the stores. A cursor is the position of the last item
 * of a page (base64url JSON, tagged with the list it belongs to), so the next page starts
 * right after it whatever was written in between.
 */
import { InvalidCursorError } from "../ports/execution-store.js";

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 10_000;

type Part = string | number;

/** The page size asked for, checked: a positive integer, at most MAX_PAGE_SIZE. */
export function pageSize(limit: number | undefined, fallback: number = DEFAULT_PAGE_SIZE): number {
  if (limit === undefined) return fallback;
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`page limit must be a positive integer, got ${limit}`);
  return Math.min(limit, MAX_PAGE_SIZE);
}

export function encodeCursor(list: string, parts: readonly Part[]): string {
  return Buffer.from(JSON.stringify([list, ...parts])).toString("base64url");
}

/** The parts of a cursor made by `encodeCursor(list, …)` with parts of these types. */
export function decodeCursor(cursor: string, list: string, types: readonly ("string" | "number")[]): Part[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw new InvalidCursorError(`not a cursor: ${cursor}`);
  }
  if (!Array.isArray(parsed) || parsed[0] !== list || parsed.length !== types.length + 1) {
    throw new InvalidCursorError(`not a cursor of this list: ${cursor}`);
  }
  const parts = parsed.slice(1) as unknown[];
  if (!parts.every((p, i) => typeof p === types[i])) throw new InvalidCursorError(`malformed cursor: ${cursor}`);
  return parts as Part[];
}

/** Which event ids a history page reads, inclusive, in reading order's terms. */
export interface HistoryWindow {
  readonly first: number;
  readonly last: number;
  readonly reverse: boolean;
  readonly next?: number;
}

/** The ids of one history page, or undefined when the page is empty. */
export function historyWindow(length: number, query: { reverse?: boolean; afterId?: number; limit?: number }): HistoryWindow | undefined {
  const limit = pageSize(query.limit, 1000);
  if (query.afterId !== undefined && (!Number.isSafeInteger(query.afterId) || query.afterId < 0)) {
    throw new InvalidCursorError(`not an event id: ${query.afterId}`);
  }
  if (query.reverse) {
    const first = Math.min(length, (query.afterId ?? length + 1) - 1);
    if (first < 1) return undefined;
    const last = Math.max(1, first - limit + 1);
    return last > 1 ? { first, last, reverse: true, next: last } : { first, last, reverse: true };
  }
  const first = (query.afterId ?? 0) + 1;
  if (first > length) return undefined;
  const last = Math.min(length, first + limit - 1);
  return last < length ? { first, last, reverse: false, next: last } : { first, last, reverse: false };
}
