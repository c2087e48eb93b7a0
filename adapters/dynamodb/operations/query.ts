/**
 * Query: the items of one partition whose sort key satisfies KeyConditionExpression, in
 * sort-key order (ScanIndexForward false: descending), a page at a time.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html
 */
import type { JsonObject } from "../../../translators/json.js";
import { checkItem, compareScalars, getAttr, payloadOf, type AttributeValue, type Item } from "../attribute-value.js";
import { DynamoDbError } from "../dynamodb-error.js";
import { conditionPaths, type Condition } from "../expressions/condition-ast.js";
import { parseCondition } from "../expressions/condition-parser.js";
import { ExpressionError } from "../expressions/expression-error.js";
import { keyQuery, keyTerms, type KeyQuery } from "../expressions/key-condition.js";
import { checkKey, isKeyAttribute, keyAttributes } from "../table-keys.js";
import type { SortKeyRange, TableStore } from "../table-store.js";
import { checkKeyPaths, projectionOf, tableOf, type Table } from "./common.js";
import { readPage, selectOf } from "./read-page.js";
import {
  RETURN_CONSUMED_CAPACITY, TABLE_NAME, checkAllUsed, checkMembers, expressionContext, optionalBoolean, optionalInteger, parseMember, type Request,
} from "./request.js";

const SELECT = { name: "Select", oneOf: ["SPECIFIC_ATTRIBUTES", "COUNT", "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES"] };

export async function query(store: TableStore, request: Request): Promise<JsonObject> {
  checkMembers(request, [SELECT, { name: "IndexName", pattern: "[a-zA-Z0-9_.-]+", minLength: 3, maxLength: 255 }, RETURN_CONSUMED_CAPACITY, TABLE_NAME, { name: "Limit", min: 1 }]);
  const context = expressionContext(request, ["ProjectionExpression", "FilterExpression", "KeyConditionExpression"], ["AttributesToGet", "QueryFilter", "ConditionalOperator", "KeyConditions"]);
  const startKey = request["ExclusiveStartKey"] ? startKeyOf(request["ExclusiveStartKey"]) : undefined;
  if (request["KeyConditionExpression"] === undefined || request["KeyConditionExpression"] === null) {
    throw DynamoDbError.validation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
  }
  const keyCondition = parseMember(request, "KeyConditionExpression", (s) => parseCondition(s, context)) as Condition;
  const filter = parseMember(request, "FilterExpression", (s) => parseCondition(s, context));
  const projection = projectionOf(request, context);
  checkAllUsed(context);
  const terms = keyTermsOf(keyCondition);
  selectOf(request, projection);
  const table = tableOf(store, request);
  if (request["IndexName"]) throw DynamoDbError.validation(`The table does not have the specified index: ${String(request["IndexName"])}`);
  if (startKey) checkStartKeyShape(table, startKey);
  const keys = keyQuery(table.schema, terms);
  if (startKey) checkStartKeyInRange(table, startKey, keys);
  checkKeyPaths(table.schema, projection ?? []);
  if (filter) checkFilter(table, filter);
  const limit = optionalInteger(request, "Limit");
  const items = await store.queryRange(table.name, keys.partition, {
    range: keys.range,
    forward: optionalBoolean(request, "ScanIndexForward") ?? true,
    ...(startKey ? { after: startKey } : {}),
    ...(limit !== undefined ? { limit } : {}),
  });
  return readPage(request, table, items, { limit, filter, projection });
}

/** Key-condition rules are reported without the `Invalid KeyConditionExpression:` prefix. */
function keyTermsOf(condition: Condition): ReturnType<typeof keyTerms> {
  try {
    return keyTerms(condition);
  } catch (e) {
    if (e instanceof ExpressionError) throw DynamoDbError.validation(e.message);
    throw e;
  }
}

function startKeyOf(v: unknown): Item {
  try {
    return checkItem(v);
  } catch (e) {
    if (e instanceof DynamoDbError && e.code === "ValidationException" && !/contains duplicates|number set|numeric value|significant digits|number with magnitude/.test(e.message)) {
      throw DynamoDbError.validation(`The provided starting key is invalid: ${e.message}`);
    }
    throw e;
  }
}

function checkStartKeyShape(table: Table, startKey: Item): void {
  const keys = keyAttributes(table.schema);
  if (Object.keys(startKey).length !== keys.length || keys.some((k) => getAttr(startKey, k.name) === undefined)) {
    throw DynamoDbError.validation("The provided starting key is invalid");
  }
  try {
    checkKey(table.schema, startKey);
  } catch (e) {
    if (e instanceof DynamoDbError) throw DynamoDbError.validation(`The provided starting key is invalid: ${e.message}`);
    throw e;
  }
}

function checkStartKeyInRange(table: Table, startKey: Item, keys: KeyQuery): void {
  const { partitionKey, sortKey } = table.schema;
  const samePartition = payloadOf(getAttr(startKey, partitionKey.name) as AttributeValue) === keys.partition;
  const hasRange = Object.keys(keys.range).length > 0;
  if (!sortKey || !hasRange) {
    if (!samePartition) throw DynamoDbError.validation("The provided starting key is outside query boundaries based on provided conditions");
    return;
  }
  if (!inRange(sortKey.type, payloadOf(getAttr(startKey, sortKey.name) as AttributeValue) as string, keys.range)) {
    throw DynamoDbError.validation("The provided starting key does not match the range key predicate");
  }
  if (!samePartition) throw DynamoDbError.validation("The query can return at most one row and cannot be restarted");
}

function inRange(type: "S" | "N" | "B", value: string, range: SortKeyRange): boolean {
  const lowOk = !range.lower || compareScalars(type, value, range.lower.value) >= (range.lower.inclusive ? 0 : 1);
  const highOk = !range.upper || compareScalars(type, value, range.upper.value) <= (range.upper.inclusive ? 0 : -1);
  const prefixOk = range.prefix === undefined || value.startsWith(range.prefix);
  return lowOk && highOk && prefixOk;
}

/** A Query's filter may not read key attributes (the key condition does that). */
function checkFilter(table: Table, filter: Condition): void {
  const paths = conditionPaths(filter);
  for (const p of paths) {
    const head = p[0];
    if (head?.kind === "name" && isKeyAttribute(table.schema, head.name)) {
      throw DynamoDbError.validation(`Filter Expression can only contain non-primary key attributes: Primary key attribute: ${head.name}`);
    }
  }
  checkKeyPaths(table.schema, paths);
}
