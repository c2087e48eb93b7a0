/**
 * Pieces the DynamoDB operations share: the table a request names, its projection, key
 * paths an expression may not reach into, and ConsumedCapacity.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html
 */
import type { JsonObject } from "../../../translators/json.js";
import { checkItem, type Item } from "../attribute-value.js";
import { DynamoDbError } from "../dynamodb-error.js";
import type { DocumentPath } from "../expressions/document-path.js";
import type { ExpressionContext } from "../expressions/expression-context.js";
import { parseProjection } from "../expressions/projection-parser.js";
import { isKeyAttribute } from "../table-keys.js";
import type { TableSchema, TableStore } from "../table-store.js";
import { parseMember, type Request } from "./request.js";

export interface Table {
  readonly name: string;
  readonly schema: TableSchema;
}

/** The table a request names (ResourceNotFoundException when there is none). */
export function tableOf(store: TableStore, request: Request): Table {
  const name = request["TableName"] as string;
  const schema = store.schema(name);
  if (!schema) throw DynamoDbError.resourceNotFound();
  return { name, schema };
}

/** A required map of attribute values (Key, Item), checked and normalized. */
export const itemMember = (request: Request, member: string): Item => checkItem(request[member]);

/** ProjectionExpression, or the legacy AttributesToGet (top-level names). */
export function projectionOf(request: Request, context: ExpressionContext): DocumentPath[] | undefined {
  const legacy = request["AttributesToGet"];
  if (Array.isArray(legacy)) {
    const names = legacy.map(String);
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate !== undefined) throw DynamoDbError.validation(`One or more parameter values were invalid: Duplicate value in attribute name: ${duplicate}`);
    return names.map((name) => [{ kind: "name", name }]);
  }
  return parseMember(request, "ProjectionExpression", (s) => parseProjection(s, context));
}

/** Expressions may name key attributes only as a whole (`id`, never `id.x` or `id[0]`). */
export function checkKeyPaths(schema: TableSchema, paths: readonly DocumentPath[]): void {
  for (const p of paths) {
    const head = p[0];
    if (p.length > 1 && head?.kind === "name" && isKeyAttribute(schema, head.name)) {
      throw DynamoDbError.validation(`Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: ${head.name}`);
    }
  }
}

/** ConsumedCapacity when ReturnConsumedCapacity asks for it (TOTAL or INDEXES). */
export function consumedCapacity(request: Request, table: string, units: number): JsonObject {
  const mode = request["ReturnConsumedCapacity"];
  if (mode !== "TOTAL" && mode !== "INDEXES") return {};
  return {
    ConsumedCapacity: mode === "INDEXES" ? { CapacityUnits: units, Table: { CapacityUnits: units }, TableName: table } : { CapacityUnits: units, TableName: table },
  };
}

/** Read units: 4 KB each, halved for eventually consistent reads. */
export const readUnits = (bytes: number, consistent: boolean): number => Math.max(1, Math.ceil(bytes / 4096)) * (consistent ? 1 : 0.5);

/** Write units: 1 KB each, counting the larger of the item before and after. */
export const writeUnits = (bytes: number): number => Math.max(1, Math.ceil(bytes / 1024));

/** Items are AttributeValue JSON already. */
export const itemJson = (item: Item): JsonObject => item as unknown as JsonObject;
