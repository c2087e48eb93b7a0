/**
 * GetItem: one item by its primary key, optionally projected.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html
 */
import type { JsonObject } from "../../../translators/json.js";
import { project } from "../expressions/projection-parser.js";
import { itemBytes } from "../item-size.js";
import { checkKey } from "../table-keys.js";
import type { TableStore } from "../table-store.js";
import { checkKeyPaths, consumedCapacity, itemJson, itemMember, projectionOf, readUnits, tableOf } from "./common.js";
import { RETURN_CONSUMED_CAPACITY, TABLE_NAME, checkAllUsed, checkMembers, expressionContext, optionalBoolean, type Request } from "./request.js";

export async function getItem(store: TableStore, request: Request): Promise<JsonObject> {
  checkMembers(request, [TABLE_NAME, { name: "Key", notNull: true }, RETURN_CONSUMED_CAPACITY]);
  const context = expressionContext(request, ["ProjectionExpression"], ["AttributesToGet"]);
  const key = itemMember(request, "Key");
  const projection = projectionOf(request, context);
  checkAllUsed(context);
  const table = tableOf(store, request);
  checkKey(table.schema, key);
  checkKeyPaths(table.schema, projection ?? []);
  const item = await store.get(table.name, key);
  const units = readUnits(item ? itemBytes(item) : 0, optionalBoolean(request, "ConsistentRead") ?? false);
  return {
    ...(item ? { Item: itemJson(projection ? project(item, projection) : item) } : {}),
    ...consumedCapacity(request, table.name, units),
  };
}
