/**
 * PutItem: stores an item whole, replacing any with the same key, if ConditionExpression
 * holds for the item stored now; ReturnValues ALL_OLD returns the item it replaced.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html
 */
import type { JsonObject } from "../../../translators/json.js";
import { DynamoDbError } from "../dynamodb-error.js";
import { parseCondition } from "../expressions/condition-parser.js";
import { evaluateCondition } from "../expressions/evaluate-condition.js";
import { MAX_ITEM_BYTES, itemBytes } from "../item-size.js";
import { checkIndexKeys } from "../table-indexes.js";
import { checkItemKey, keyOf } from "../table-keys.js";
import type { TableStore } from "../table-store.js";
import { consumedCapacity, itemJson, itemMember, tableOf, writeUnits } from "./common.js";
import {
  RETURN_CONSUMED_CAPACITY, RETURN_VALUES, RETURN_VALUES_ON_FAILURE, TABLE_NAME, checkAllUsed, checkMembers, expressionContext, parseMember, type Request,
} from "./request.js";

export async function putItem(store: TableStore, request: Request): Promise<JsonObject> {
  checkMembers(request, [RETURN_CONSUMED_CAPACITY, TABLE_NAME, { name: "Item", notNull: true }, RETURN_VALUES, RETURN_VALUES_ON_FAILURE]);
  const context = expressionContext(request, ["ConditionExpression"], ["Expected"]);
  const item = itemMember(request, "Item");
  const returnValues = request["ReturnValues"] ?? "NONE";
  if (returnValues !== "ALL_OLD" && returnValues !== "NONE") throw DynamoDbError.validation("ReturnValues can only be ALL_OLD or NONE");
  if (itemBytes(item) > MAX_ITEM_BYTES) throw DynamoDbError.validation("Item size has exceeded the maximum allowed size");
  const condition = parseMember(request, "ConditionExpression", (s) => parseCondition(s, context));
  checkAllUsed(context);
  const table = tableOf(store, request);
  checkItemKey(table.schema, item);
  checkIndexKeys(table.schema, item);
  const old = await store.put(table.name, keyOf(table.schema, item), (current) => {
    if (condition && !evaluateCondition(condition, current ?? {})) throw DynamoDbError.conditionalCheckFailed();
    return item;
  });
  return {
    ...(returnValues === "ALL_OLD" && old ? { Attributes: itemJson(old) } : {}),
    ...consumedCapacity(request, table.name, writeUnits(Math.max(itemBytes(item), old ? itemBytes(old) : 0))),
  };
}
