/**
 * Query: the items of one partition whose sort key satisfies KeyConditionExpression, in
 * sort-key order (ScanIndexForward false: descending), a page at a time; of the table, or of
 * a secondary index (IndexName: the key condition is on the index's keys).
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html
 */
import type { JsonObject } from "../../../translators/json.js";
import { DynamoDbError } from "../dynamodb-error.js";
import { conditionPaths, type Condition } from "../expressions/condition-ast.js";
import { parseCondition } from "../expressions/condition-parser.js";
import { ExpressionError } from "../expressions/expression-error.js";
import { keyQuery, keyTerms } from "../expressions/key-condition.js";
import { isKeyAttribute } from "../table-keys.js";
import type { KeySchema, TableSchema, TableStore } from "../table-store.js";
import { checkKeyPaths, projectionOf, tableOf } from "./common.js";
import { indexRead, requestedIndex } from "./index-read.js";
import { readPage, selectOf } from "./read-page.js";
import {
  RETURN_CONSUMED_CAPACITY, TABLE_NAME, checkAllUsed, checkMembers, expressionContext, optionalBoolean, optionalInteger, parseMember, type Request,
} from "./request.js";
import { checkIndexStartKey, checkQueryStartKey, checkStartKeyInRange, startKeyOf } from "./start-key.js";

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
  const index = requestedIndex(request, table);
  const keySchema: KeySchema = index ?? table.schema;
  if (startKey) {
    if (index) checkIndexStartKey(table.schema, index, startKey);
    else checkQueryStartKey(table.schema, startKey);
  }
  const keys = keyQuery(keySchema, terms);
  if (startKey) checkStartKeyInRange(keySchema, startKey, keys);
  checkKeyPaths(table.schema, projection ?? []);
  if (filter) checkFilter(table.schema, keySchema, filter);
  const read = index && indexRead(request, table, index, { projection, filter });
  const limit = optionalInteger(request, "Limit");
  const items = await store.queryRange(table.name, keys.partition, {
    ...(index ? { index: index.name } : {}),
    range: keys.range,
    forward: optionalBoolean(request, "ScanIndexForward") ?? true,
    ...(startKey ? { after: startKey } : {}),
    ...(limit !== undefined ? { limit } : {}),
  });
  return readPage(request, table, items, { limit, filter, projection, index: read });
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

/** A Query's filter may not read the key attributes it queries by (the key condition does that). */
function checkFilter(schema: TableSchema, keys: KeySchema, filter: Condition): void {
  const paths = conditionPaths(filter);
  for (const p of paths) {
    const head = p[0];
    if (head?.kind === "name" && isKeyAttribute(keys, head.name)) {
      throw DynamoDbError.validation(`Filter Expression can only contain non-primary key attributes: Primary key attribute: ${head.name}`);
    }
  }
  checkKeyPaths(schema, paths);
}
