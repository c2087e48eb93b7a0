/** Range reads for the LMDB store: lazy filters over lmdb's iterables, and paging. */
import type { Key } from "lmdb";
import type { Page } from "../ports/execution-store.js";
import { hasPrefix, type StoreKey } from "./lmdb-layout.js";

/** The first `limit` items as a page, with a cursor when at least one more item follows. */
export function collect<T, R>(items: Iterable<T>, prefix: StoreKey | undefined, limit: number, read: (item: T) => R, cursor: (last: R) => string): Page<R> {
  const out: R[] = [];
  for (const item of prefix ? takeWhile(items as Iterable<Key>, (k) => hasPrefix(k, prefix)) : items) {
    if (out.length === limit) return { items: out, cursor: cursor(out[out.length - 1] as R) };
    out.push(read(item as T));
  }
  return { items: out };
}

export function* takeWhile<T>(items: Iterable<T>, keep: (item: T) => boolean): Generator<T> {
  for (const item of items) {
    if (!keep(item)) return;
    yield item;
  }
}

export function* filterMap<T, R>(items: Iterable<T>, map: (item: T) => R | undefined): Generator<R> {
  for (const item of items) {
    const r = map(item);
    if (r !== undefined) yield r;
  }
}
