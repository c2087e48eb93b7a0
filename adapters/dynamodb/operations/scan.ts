/**
 * Scan: every item of a table, or of a secondary index (IndexName), in the store's stable
 * order, a page at a time.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html
 */
import type { JsonObject } from "../../../translators/json.js";
import { checkItem } from "../attribute-value.js";
import { DynamoDbError } from "../dynamodb-error.js";
import { conditionPaths } from "../expressions/condition-ast.js";
import { parseCondition } from "../expressions/condition-parser.js";
import type { TableStore } from "../table-store.js";
import { checkKeyPaths, projectionOf, tableOf } from "./common.js";
import { indexRead, requestedIndex } from "./index-read.js";
import { readPage, selectOf } from "./read-page.js";
import { RETURN_CONSUMED_CAPACITY, TABLE_NAME, checkAllUsed, checkMembers, expressionContext, optionalInteger, parseMember, type Request } from "./request.js";
import { checkIndexStartKey, checkScanStartKey } from "./start-key.js";

const SELECT = { name: "Select", oneOf: ["SPECIFIC_ATTRIBUTES", "COUNT", "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES"] };

export async function scan(store: TableStore, request: Request): Promise<JsonObject> {
  checkMembers(request, [SELECT, { name: "IndexName", pattern: "[a-zA-Z0-9_.-]+", minLength: 3, maxLength: 255 }, RETURN_CONSUMED_CAPACITY, TABLE_NAME, { name: "Limit", min: 1 }]);
  const context = expressionContext(request, ["ProjectionExpression", "FilterExpression"], ["AttributesToGet", "ScanFilter", "ConditionalOperator"]);
  const startKey = request["ExclusiveStartKey"] ? checkItem(request["ExclusiveStartKey"]) : undefined;
  if (request["Segment"] !== undefined || request["TotalSegments"] !== undefined) {
    throw DynamoDbError.validation("aslan does not implement parallel Scan (Segment, TotalSegments)");
  }
  const filter = parseMember(request, "FilterExpression", (s) => parseCondition(s, context));
  const projection = projectionOf(request, context);
  checkAllUsed(context);
  selectOf(request, projection);
  const table = tableOf(store, request);
  const index = requestedIndex(request, table);
  if (startKey) {
    if (index) checkIndexStartKey(table.schema, index, startKey);
    else checkScanStartKey(table.schema, startKey);
  }
  const read = index && indexRead(request, table, index, { projection, filter });
  checkKeyPaths(table.schema, [...(projection ?? []), ...(filter ? conditionPaths(filter) : [])]);
  const limit = optionalInteger(request, "Limit");
  const items = await store.scan(table.name, {
    ...(index ? { index: index.name } : {}),
    ...(startKey ? { after: startKey } : {}),
    ...(limit !== undefined ? { limit } : {}),
  });
  return readPage(request, table, items, { limit, filter, projection, index: read });
}
