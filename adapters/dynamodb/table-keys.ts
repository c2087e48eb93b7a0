/**
 * Primary keys: checking a request's Key or an item's key attributes against the table's
 * key schema, with DynamoDB's messages, and reading the scalar payloads the store orders by.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.CoreComponents.html#HowItWorks.CoreComponents.PrimaryKey
 */
import { bytesOf, getAttr, payloadOf, typeOf, type AttributeValue, type Item } from "./attribute-value.js";
import { DynamoDbError } from "./dynamodb-error.js";
import type { KeyAttribute, KeySchema } from "./table-store.js";

export const keyAttributes = (schema: KeySchema): KeyAttribute[] => (schema.sortKey ? [schema.partitionKey, schema.sortKey] : [schema.partitionKey]);

export const isKeyAttribute = (schema: KeySchema, name: string): boolean => keyAttributes(schema).some((k) => k.name === name);

const MISMATCH = "The provided key element does not match the schema";

/** Checks a request's `Key` (GetItem, DeleteItem, UpdateItem, ExclusiveStartKey). */
export function checkKey(schema: KeySchema, key: Item): Item {
  const attrs = keyAttributes(schema);
  if (Object.keys(key).length !== attrs.length) throw DynamoDbError.validation(MISMATCH);
  for (const [i, k] of attrs.entries()) checkKeyAttribute(key, k, i === 0);
  return key;
}

/** Checks one key attribute of a request's key: present, of the key's type, not empty, not too long. */
export function checkKeyAttribute(key: Item, k: KeyAttribute, isPartition: boolean): void {
  const v = getAttr(key, k.name);
  if (v === undefined || typeOf(v) !== k.type) throw DynamoDbError.validation(MISMATCH);
  checkKeyValue(k, v, isPartition, "One or more parameter values were invalid:");
}

/** Checks the key attributes of an item to put. */
export function checkItemKey(schema: KeySchema, item: Item): void {
  for (const [i, k] of keyAttributes(schema).entries()) {
    const v = getAttr(item, k.name);
    if (v === undefined) throw DynamoDbError.validation(`One or more parameter values were invalid: Missing the key ${k.name} in the item`);
    if (typeOf(v) !== k.type) {
      throw DynamoDbError.validation(`One or more parameter values were invalid: Type mismatch for key ${k.name} expected: ${k.type} actual: ${typeOf(v)}`);
    }
    checkKeyValue(k, v, i === 0, "One or more parameter values are not valid.");
  }
}

function checkKeyValue(k: KeyAttribute, v: AttributeValue, isPartition: boolean, prefix: string): void {
  if (k.type === "N") return;
  const bytes = bytesOf(k.type, payloadOf(v) as string);
  if (bytes.length === 0) {
    const kind = k.type === "S" ? "string" : "binary";
    throw DynamoDbError.validation(`${prefix} The AttributeValue for a key attribute cannot contain an empty ${kind} value. Key: ${k.name}`);
  }
  if (isPartition && bytes.length > 2048) {
    throw DynamoDbError.validation("One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes");
  }
  if (!isPartition && bytes.length > 1024) {
    throw DynamoDbError.validation("One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes");
  }
}

/** The key attributes of an item (its primary key). */
export function keyOf(schema: KeySchema, item: Item): Item {
  return Object.fromEntries(keyAttributes(schema).map((k) => [k.name, getAttr(item, k.name) as AttributeValue]));
}

/** A key attribute's scalar payload (`S`, normalized `N`, base64 `B`). */
export const keyPayload = (item: Item, k: KeyAttribute): string => payloadOf(getAttr(item, k.name) as AttributeValue) as string;
