/**
 * DeleteItem: removes an item by its primary key if ConditionExpression holds for it;
 * ReturnValues ALL_OLD returns the item removed.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteItem.html
 */
import type { JsonObject } from "../../../translators/json.js";
import { DynamoDbError } from "../dynamodb-error.js";
import { parseCondition } from "../expressions/condition-parser.js";
import { evaluateCondition } from "../expressions/evaluate-condition.js";
import { itemBytes } from "../item-size.js";
import { checkKey } from "../table-keys.js";
import type { TableStore } from "../table-store.js";
import { consumedCapacity, itemJson, itemMember, tableOf, writeUnits } from "./common.js";
import {
  RETURN_CONSUMED_CAPACITY, RETURN_VALUES, RETURN_VALUES_ON_FAILURE, TABLE_NAME, checkAllUsed, checkMembers, expressionContext, parseMember, type Request,
} from "./request.js";

export async function deleteItem(store: TableStore, request: Request): Promise<JsonObject> {
  checkMembers(request, [RETURN_CONSUMED_CAPACITY, TABLE_NAME, { name: "Key", notNull: true }, RETURN_VALUES, RETURN_VALUES_ON_FAILURE]);
  const context = expressionContext(request, ["ConditionExpression"], ["Expected"]);
  const key = itemMember(request, "Key");
  const returnValues = request["ReturnValues"] ?? "NONE";
  if (returnValues !== "ALL_OLD" && returnValues !== "NONE") throw DynamoDbError.validation("ReturnValues can only be ALL_OLD or NONE");
  const condition = parseMember(request, "ConditionExpression", (s) => parseCondition(s, context));
  checkAllUsed(context);
  const table = tableOf(store, request);
  checkKey(table.schema, key);
  const old = await store.delete(table.name, key, (current) => {
    if (condition && !evaluateCondition(condition, current ?? {})) throw DynamoDbError.conditionalCheckFailed();
  });
  return {
    ...(returnValues === "ALL_OLD" && old ? { Attributes: itemJson(old) } : {}),
    ...consumedCapacity(request, table.name, writeUnits(old ? itemBytes(old) : 0)),
  };
}
