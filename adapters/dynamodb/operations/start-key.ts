/**
 * ExclusiveStartKey of a Query or Scan: the primary key of the item a page stopped at (the
 * table's key attributes, and the index's too when reading an index), checked with DynamoDB's
 * messages, and for a Query also against the key condition.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.Pagination.html
 */
import { checkItem, compareScalars, getAttr, payloadOf, type AttributeValue, type Item } from "../attribute-value.js";
import { DynamoDbError } from "../dynamodb-error.js";
import type { KeyQuery } from "../expressions/key-condition.js";
import type { IndexSchema } from "../table-indexes.js";
import { checkKey, checkKeyAttribute, keyAttributes, keyOf } from "../table-keys.js";
import type { KeySchema, SortKeyRange, TableSchema } from "../table-store.js";

const INVALID = "The provided starting key is invalid";

/** Parses ExclusiveStartKey as attribute values (the number errors keep their own message). */
export function startKeyOf(v: unknown): Item {
  try {
    return checkItem(v);
  } catch (e) {
    if (e instanceof DynamoDbError && e.code === "ValidationException" && !/contains duplicates|number set|numeric value|significant digits|number with magnitude/.test(e.message)) {
      throw DynamoDbError.validation(`${INVALID}: ${e.message}`);
    }
    throw e;
  }
}

/** A Query's start key on the table: exactly the table's key attributes. */
export function checkQueryStartKey(schema: TableSchema, startKey: Item): void {
  const keys = keyAttributes(schema);
  if (Object.keys(startKey).length !== keys.length || keys.some((k) => getAttr(startKey, k.name) === undefined)) throw DynamoDbError.validation(INVALID);
  checkTableKey(schema, startKey);
}

/** A Scan's start key on the table. */
export function checkScanStartKey(schema: TableSchema, startKey: Item): void {
  if (Object.keys(startKey).length !== keyAttributes(schema).length) throw DynamoDbError.validation(`${INVALID}: The provided key element does not match the schema`);
  checkTableKey(schema, startKey);
}

/** A start key on an index: the table's key attributes and the index's, nothing else. */
export function checkIndexStartKey(schema: TableSchema, index: IndexSchema, startKey: Item): void {
  const names = new Set([...keyAttributes(schema), ...keyAttributes(index)].map((k) => k.name));
  if (Object.keys(startKey).length !== names.size) throw DynamoDbError.validation(INVALID);
  for (const [i, k] of keyAttributes(index).entries()) {
    if (getAttr(startKey, k.name) === undefined) throw DynamoDbError.validation(INVALID);
    checkKeyAttribute(startKey, k, i === 0);
  }
  checkTableKey(schema, keyOf(schema, startKey));
}

function checkTableKey(schema: TableSchema, key: Item): void {
  try {
    checkKey(schema, key);
  } catch (e) {
    if (e instanceof DynamoDbError) throw DynamoDbError.validation(`${INVALID}: ${e.message}`);
    throw e;
  }
}

/** A Query's start key must lie within what its key condition selects (keys: the table's or the index's). */
export function checkStartKeyInRange(keys: KeySchema, startKey: Item, query: KeyQuery): void {
  const { partitionKey, sortKey } = keys;
  const samePartition = payloadOf(getAttr(startKey, partitionKey.name) as AttributeValue) === query.partition;
  const hasRange = Object.keys(query.range).length > 0;
  if (!sortKey || !hasRange) {
    if (!samePartition) throw DynamoDbError.validation("The provided starting key is outside query boundaries based on provided conditions");
    return;
  }
  if (!inRange(sortKey.type, payloadOf(getAttr(startKey, sortKey.name) as AttributeValue) as string, query.range)) {
    throw DynamoDbError.validation("The provided starting key does not match the range key predicate");
  }
  if (!samePartition) throw DynamoDbError.validation("The query can return at most one row and cannot be restarted");
}

function inRange(type: "S" | "N" | "B", value: string, range: SortKeyRange): boolean {
  const lowOk = !range.lower || compareScalars(type, value, range.lower.value) >= (range.lower.inclusive ? 0 : 1);
  const highOk = !range.upper || compareScalars(type, value, range.upper.value) <= (range.upper.inclusive ? 0 : -1);
  const bytes = (payload: string): Buffer => (type === "B" ? Buffer.from(payload, "base64") : Buffer.from(payload, "utf8"));
  const prefixOk = range.prefix === undefined || bytes(value).subarray(0, bytes(range.prefix).length).equals(bytes(range.prefix));
  return lowOk && highOk && prefixOk;
}
