/**
 * UpdateItem: changes (or creates) one item with an UpdateExpression if ConditionExpression
 * holds for the item stored now. ReturnValues: NONE, ALL_OLD, UPDATED_OLD, ALL_NEW, UPDATED_NEW
 * (the UPDATED_* forms hold just the paths the expression names).
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html
 */
import type { JsonObject } from "../../../translators/json.js";
import type { Item } from "../attribute-value.js";
import { DynamoDbError } from "../dynamodb-error.js";
import { applyUpdate } from "../expressions/apply-update.js";
import { parseCondition } from "../expressions/condition-parser.js";
import { evaluateCondition } from "../expressions/evaluate-condition.js";
import { project } from "../expressions/projection-parser.js";
import { parseUpdate, type UpdateAction } from "../expressions/update-parser.js";
import { MAX_ITEM_BYTES, itemBytes } from "../item-size.js";
import { checkIndexKeys } from "../table-indexes.js";
import { checkKey, isKeyAttribute } from "../table-keys.js";
import type { TableSchema, TableStore } from "../table-store.js";
import { checkKeyPaths, consumedCapacity, itemJson, itemMember, tableOf, writeUnits } from "./common.js";
import {
  RETURN_CONSUMED_CAPACITY, RETURN_VALUES, RETURN_VALUES_ON_FAILURE, TABLE_NAME, checkAllUsed, checkMembers, expressionContext, parseMember, type Request,
} from "./request.js";

export async function updateItem(store: TableStore, request: Request): Promise<JsonObject> {
  checkMembers(request, [RETURN_CONSUMED_CAPACITY, TABLE_NAME, RETURN_VALUES, { name: "Key", notNull: true }, RETURN_VALUES_ON_FAILURE]);
  const context = expressionContext(request, ["UpdateExpression", "ConditionExpression"], ["AttributeUpdates", "Expected"]);
  const key = itemMember(request, "Key");
  const actions = parseMember(request, "UpdateExpression", (s) => parseUpdate(s, context)) ?? [];
  const condition = parseMember(request, "ConditionExpression", (s) => parseCondition(s, context));
  checkAllUsed(context);
  const table = tableOf(store, request);
  checkKey(table.schema, key);
  checkNoKeyUpdate(table.schema, actions);
  checkKeyPaths(table.schema, actions.map((a) => a.path));
  let after: Item = key;
  const old = await store.put(table.name, key, (current) => {
    if (condition && !evaluateCondition(condition, current ?? {})) throw DynamoDbError.conditionalCheckFailed();
    after = applyUpdate(current ?? key, actions);
    if (itemBytes(after) > MAX_ITEM_BYTES) throw DynamoDbError.validation("Item size to update has exceeded the maximum allowed size");
    checkIndexKeys(table.schema, after);
    return after;
  });
  const attributes = returned(String(request["ReturnValues"] ?? "NONE"), old, after, actions);
  return {
    ...(attributes && Object.keys(attributes).length > 0 ? { Attributes: itemJson(attributes) } : {}),
    ...consumedCapacity(request, table.name, writeUnits(Math.max(itemBytes(after), old ? itemBytes(old) : 0))),
  };
}

function checkNoKeyUpdate(schema: TableSchema, actions: readonly UpdateAction[]): void {
  for (const a of actions) {
    const head = a.path[0];
    if (head?.kind === "name" && isKeyAttribute(schema, head.name)) {
      throw DynamoDbError.validation(`One or more parameter values were invalid: Cannot update attribute ${head.name}. This attribute is part of the key`);
    }
  }
}

function returned(mode: string, old: Item | undefined, after: Item, actions: readonly UpdateAction[]): Item | undefined {
  const paths = actions.map((a) => a.path);
  switch (mode) {
    case "ALL_OLD":
      return old;
    case "UPDATED_OLD":
      return old && project(old, paths);
    case "ALL_NEW":
      return after;
    case "UPDATED_NEW":
      return project(after, paths);
    default:
      return undefined;
  }
}
