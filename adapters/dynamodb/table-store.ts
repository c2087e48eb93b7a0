/**
 * The TableStore port: where the DynamoDB-like tables keep their items. Small on purpose:
 * point reads, atomic conditional writes of one item, a sort-key range of one partition, and
 * a scan, of the table or of one of its secondary indexes. Every read works on a consistent
 * snapshot taken when the call starts; every write decides from the item stored at that
 * moment, and the table's indexes change with it.
 */
import type { IndexProjection, KeyAttribute, TableConfig } from "../../runtime/config/project-config.js";
import type { Item } from "./attribute-value.js";

export type TableSchema = TableConfig;
export type { IndexProjection, KeyAttribute };

/** A key schema: a table's, or a secondary index's. */
export type KeySchema = Pick<TableConfig, "partitionKey" | "sortKey">;

/** One end of a sort-key range: a scalar payload (`S`, normalized `N`, base64 `B`). */
export interface KeyBound {
  readonly value: string;
  readonly inclusive: boolean;
}

/** The sort keys a Query reads (bounds, or a prefix for `begins_with`); everything when empty. */
export interface SortKeyRange {
  readonly lower?: KeyBound;
  readonly upper?: KeyBound;
  readonly prefix?: string;
}

/**
 * Reads of a secondary index (`index` set): `partitionKey`, `range` and the order are the
 * index's keys; items without both index key attributes (of the index's types) are not in it;
 * items with the same index keys come in the table's scan order; `after` holds the table's
 * and the index's key attributes. Items come back whole: the caller projects them.
 */
export interface QueryRangeOptions {
  /** A secondary index of the table, by name; the table itself when absent. */
  readonly index?: string;
  readonly range: SortKeyRange;
  /** Ascending sort-key order (ScanIndexForward). */
  readonly forward: boolean;
  /** Resume strictly after this item key (ExclusiveStartKey), in the direction of reading. */
  readonly after?: Item;
  /** Read at most this many items. */
  readonly limit?: number;
}

export interface ScanOptions {
  readonly index?: string;
  readonly after?: Item;
  readonly limit?: number;
}

/**
 * Decides a write from the item stored now (undefined: none). Throwing aborts the write and
 * nothing changes. A store may call it more than once (optimistic retries): keep it pure.
 */
export type WriteDecision<T> = (current: Item | undefined) => T;

export interface TableStore {
  /** The tables it holds and their key schemas. */
  schema(table: string): TableSchema | undefined;
  get(table: string, key: Item): Promise<Item | undefined>;
  /** Stores the item `decide` returns at `key`; resolves with the item it replaced. */
  put(table: string, key: Item, decide: WriteDecision<Item>): Promise<Item | undefined>;
  /** Removes the item at `key` unless `decide` throws; resolves with the item removed. */
  delete(table: string, key: Item, decide?: WriteDecision<void>): Promise<Item | undefined>;
  /** Items of one partition (of the table or an index) whose sort key is in range, in sort-key order. */
  queryRange(table: string, partitionKey: string, options: QueryRangeOptions): Promise<readonly Item[]>;
  /** Items in the store's stable scan order (which ExclusiveStartKey resumes). */
  scan(table: string, options: ScanOptions): Promise<readonly Item[]>;
  /** Releases what the store holds open (files); nothing is read or written after it. */
  close?(): Promise<void>;
}
