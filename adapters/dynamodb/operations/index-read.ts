/**
 * A Query or Scan of a secondary index (IndexName): which index, checked as DynamoDB does,
 * and what each result holds. A global index answers with the attributes it projects; a
 * local one reads the table's whole item when Select is ALL_ATTRIBUTES or the projection or
 * filter names an attribute it does not project ("fetches" it, and the table's read units count).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LSI.html#LSI.Projections
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.Projections
 */
import type { Condition } from "../expressions/condition-ast.js";
import { conditionPaths } from "../expressions/condition-ast.js";
import type { DocumentPath } from "../expressions/document-path.js";
import { DynamoDbError } from "../dynamodb-error.js";
import { findIndex, projectedNames, type IndexSchema } from "../table-indexes.js";
import type { Table } from "./common.js";
import { optionalBoolean, optionalString, type Request } from "./request.js";

export interface IndexRead {
  readonly schema: IndexSchema;
  /** Results are the table's whole items (a local index fetching what it does not project). */
  readonly fetch: boolean;
}

/** The index IndexName names, if any: it must exist, and a global one has no consistent reads. */
export function requestedIndex(request: Request, table: Table): IndexSchema | undefined {
  const name = optionalString(request, "IndexName");
  if (name === undefined) return undefined;
  const index = findIndex(table.schema, name);
  if (!index) throw DynamoDbError.validation(`The table does not have the specified index: ${name}`);
  if (index.kind === "global" && optionalBoolean(request, "ConsistentRead") === true) {
    throw DynamoDbError.validation("Consistent reads are not supported on global secondary indexes");
  }
  return index;
}

/** How the index is read; Select ALL_ATTRIBUTES needs a global index to project everything. */
export function indexRead(request: Request, table: Table, index: IndexSchema, paths: { projection?: readonly DocumentPath[] | undefined; filter?: Condition | undefined }): IndexRead {
  const names = projectedNames(table.schema, index);
  const allAttributes = optionalString(request, "Select") === "ALL_ATTRIBUTES" && names !== undefined;
  if (allAttributes && index.kind === "global") {
    throw DynamoDbError.validation(
      `One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index ${index.name} because its projection type is not ALL`,
    );
  }
  const named = [...(paths.projection ?? []), ...(paths.filter ? conditionPaths(paths.filter) : [])];
  const outside = names !== undefined && named.some((p) => p[0]?.kind === "name" && !names.has(p[0].name));
  return { schema: index, fetch: index.kind === "local" && (allAttributes || outside) };
}
