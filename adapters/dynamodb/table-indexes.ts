/**
 * Secondary indexes: the config's global and local ones in one shape, which items an index
 * holds (sparse: only items with every index key attribute), the attributes it holds of them
 * (its projection), and the checks DynamoDB makes of index key attributes on a write.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/SecondaryIndexes.html
 */
import { bytesOf, getAttr, payloadOf, typeOf, type AttributeValue, type Item } from "./attribute-value.js";
import { DynamoDbError } from "./dynamodb-error.js";
import { keyAttributes } from "./table-keys.js";
import type { IndexProjection, KeyAttribute, KeySchema, TableSchema } from "./table-store.js";

export interface IndexSchema extends KeySchema {
  readonly name: string;
  /** Global: its own partition key; local: the table's partition key. */
  readonly kind: "global" | "local";
  readonly projection: IndexProjection;
}

/** The table's indexes, global ones first (DynamoDB's order for its checks); projection ALL unless given. */
export function indexesOf(schema: TableSchema): IndexSchema[] {
  return [
    ...(schema.globalSecondaryIndexes ?? []).map((i): IndexSchema => ({ ...i, kind: "global", projection: i.projection ?? "ALL" })),
    ...(schema.localSecondaryIndexes ?? []).map((i): IndexSchema => ({ ...i, partitionKey: schema.partitionKey, kind: "local", projection: i.projection ?? "ALL" })),
  ];
}

export const findIndex = (schema: TableSchema, name: string): IndexSchema | undefined => indexesOf(schema).find((i) => i.name === name);

/** DynamoDB's key sizes: 2048 bytes for a partition key, 1024 for a sort key. */
const maxKeyBytes = (isPartition: boolean): number => (isPartition ? 2048 : 1024);

/** A key value an index can hold: the index's type, not empty, within DynamoDB's key sizes. */
function usable(k: KeyAttribute, v: AttributeValue | undefined, isPartition: boolean): boolean {
  if (v === undefined || typeOf(v) !== k.type) return false;
  if (k.type === "N") return true;
  const size = bytesOf(k.type, payloadOf(v) as string).length;
  return size > 0 && size <= maxKeyBytes(isPartition);
}

/**
 * True when the item is in the index. Items missing an index key attribute are not (sparse
 * indexes), nor, as in DynamoDB's index backfill, items stored before the index existed whose
 * index key has another type or size.
 */
export const isIndexed = (index: KeySchema, item: Item): boolean => keyAttributes(index).every((k, i) => usable(k, getAttr(item, k.name), i === 0));

/** The names of the attributes an index holds of each item; undefined when it holds them all. */
export function projectedNames(table: TableSchema, index: IndexSchema): ReadonlySet<string> | undefined {
  if (index.projection === "ALL") return undefined;
  const keys = [...keyAttributes(table), ...keyAttributes(index)].map((k) => k.name);
  return new Set([...keys, ...(index.projection === "KEYS_ONLY" ? [] : index.projection.include)]);
}

/** The item as the index holds it: its projected attributes. */
export function indexView(table: TableSchema, index: IndexSchema, item: Item): Item {
  const names = projectedNames(table, index);
  return names ? Object.fromEntries(Object.entries(item).filter(([name]) => names.has(name))) : item;
}

/** Where a read of an index stopped (LastEvaluatedKey): the table's key attributes and the index's. */
export function indexKeyOf(table: TableSchema, index: IndexSchema, item: Item): Item {
  const names = [...new Set([...keyAttributes(table), ...keyAttributes(index)].map((k) => k.name))];
  return Object.fromEntries(names.map((name) => [name, getAttr(item, name) as AttributeValue]));
}

/** Key attribute names of the table and of all its indexes, for the checks that name them. */
export const indexKeyNames = (schema: TableSchema): string[] => indexesOf(schema).flatMap((i) => keyAttributes(i).map((k) => k.name));

/**
 * Checks the index key attributes an item to store has (an item may lack them): their type,
 * no empty string or binary, and DynamoDB's key sizes; DynamoDB's messages.
 */
export function checkIndexKeys(schema: TableSchema, item: Item): void {
  for (const index of indexesOf(schema)) {
    for (const [i, k] of keyAttributes(index).entries()) {
      const v = getAttr(item, k.name);
      if (v === undefined) continue;
      if (typeOf(v) !== k.type) {
        throw DynamoDbError.validation(`One or more parameter values were invalid: Type mismatch for Index Key ${k.name} Expected: ${k.type} Actual: ${typeOf(v)} IndexName: ${index.name}`);
      }
      if (k.type === "N") continue;
      const size = bytesOf(k.type, payloadOf(v) as string).length;
      if (size === 0) {
        throw DynamoDbError.validation(
          "One or more parameter values are not valid. A value specified for a secondary index key is not supported. " +
            `The AttributeValue for a key attribute cannot contain an empty ${k.type === "S" ? "string" : "binary"} value. IndexName: ${index.name}, IndexKey: ${k.name}`,
        );
      }
      const max = maxKeyBytes(i === 0);
      if (size > max) {
        throw DynamoDbError.validation(`One or more parameter values were invalid: Size limit exceeded for Index Key ${k.name} Actual Size: ${size} bytes Max Size: ${max} bytes IndexName: ${index.name}`);
      }
    }
  }
}
