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
import { indexKeyNames } from "../table-indexes.js";
import { keyAttributes } from "../table-keys.js";
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

/** Expressions may name key attributes (the table's, then its indexes') only as a whole (`id`, never `id.x` or `id[0]`). */
export function checkKeyPaths(schema: TableSchema, paths: readonly DocumentPath[]): void {
  const nested = new Set(paths.flatMap((p) => (p.length > 1 && p[0]?.kind === "name" ? [p[0].name] : [])));
  const reject = (kind: string, name: string): never => {
    throw DynamoDbError.validation(`Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: ${kind}: ${name}`);
  };
  for (const k of keyAttributes(schema)) if (nested.has(k.name)) reject("Key", k.name);
  for (const name of indexKeyNames(schema)) if (nested.has(name)) reject("IndexKey", name);
}

/** Read units an index read consumed, reported under the index with ReturnConsumedCapacity INDEXES. */
export interface IndexUnits {
  readonly kind: "global" | "local";
  readonly name: string;
  readonly units: number;
}

/** ConsumedCapacity when ReturnConsumedCapacity asks for it (TOTAL or INDEXES); `units` are the table's. */
export function consumedCapacity(request: Request, table: string, units: number, index?: IndexUnits): JsonObject {
  const mode = request["ReturnConsumedCapacity"];
  if (mode !== "TOTAL" && mode !== "INDEXES") return {};
  const total = { CapacityUnits: units + (index?.units ?? 0), TableName: table };
  if (mode === "TOTAL") return { ConsumedCapacity: total };
  const indexes = index ? { [index.kind === "global" ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes"]: { [index.name]: { CapacityUnits: index.units } } } : {};
  return { ConsumedCapacity: { ...total, Table: { CapacityUnits: units }, ...indexes } };
}

/** Read units: 4 KB each, halved for eventually consistent reads. */
export const readUnits = (bytes: number, consistent: boolean): number => Math.max(1, Math.ceil(bytes / 4096)) * (consistent ? 1 : 0.5);

/** Write units: 1 KB each, counting the larger of the item before and after. */
export const writeUnits = (bytes: number): number => Math.max(1, Math.ceil(bytes / 1024));

/** Items are AttributeValue JSON already. */
export const itemJson = (item: Item): JsonObject => item as unknown as JsonObject;
