/**
 * One page of a Query or Scan: the items read (up to Limit, and until 1 MB has been read),
 * then FilterExpression, then projection; Count and ScannedCount; LastEvaluatedKey when the
 * page stopped at Limit or 1 MB (even if nothing follows, as DynamoDB does); Select COUNT.
 * On an index, items are what the index holds of them (index-read.ts), LastEvaluatedKey has
 * the table's and the index's keys, and the read units are the index's.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.Pagination.html
 */
import type { JsonObject } from "../../../translators/json.js";
import type { Item } from "../attribute-value.js";
import { DynamoDbError } from "../dynamodb-error.js";
import type { Condition } from "../expressions/condition-ast.js";
import type { DocumentPath } from "../expressions/document-path.js";
import { evaluateCondition } from "../expressions/evaluate-condition.js";
import { project } from "../expressions/projection-parser.js";
import { MAX_PAGE_BYTES, itemBytes } from "../item-size.js";
import { indexKeyOf, indexView } from "../table-indexes.js";
import { keyOf } from "../table-keys.js";
import { consumedCapacity, itemJson, readUnits, type Table } from "./common.js";
import type { IndexRead } from "./index-read.js";
import { optionalBoolean, optionalString, type Request } from "./request.js";

export interface PageOptions {
  readonly limit: number | undefined;
  readonly filter: Condition | undefined;
  readonly projection: readonly DocumentPath[] | undefined;
  /** Set when the page is read from a secondary index. */
  readonly index?: IndexRead | undefined;
}

/** What Select asks for; rejects the combinations DynamoDB rejects. */
export function selectOf(request: Request, projection: readonly DocumentPath[] | undefined): "ALL_ATTRIBUTES" | "SPECIFIC_ATTRIBUTES" | "COUNT" {
  const select = optionalString(request, "Select");
  const member = request["AttributesToGet"] !== undefined ? "AttributesToGet" : "ProjectionExpression";
  const invalid = (m: string): DynamoDbError => DynamoDbError.validation(`1 validation error detected: ${m}`);
  if (select === "ALL_PROJECTED_ATTRIBUTES" && request["IndexName"] === undefined) throw invalid("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
  if (select === "ALL_ATTRIBUTES" && projection) throw invalid(`Cannot specify the ${member} when choosing to get ALL_ATTRIBUTES`);
  if (select === "COUNT" && projection) throw invalid(`Cannot specify the ${member} when choosing to get only the Count`);
  if (select === "SPECIFIC_ATTRIBUTES" && !projection) throw invalid("Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES");
  return select === "COUNT" ? "COUNT" : projection ? "SPECIFIC_ATTRIBUTES" : "ALL_ATTRIBUTES";
}

export function readPage(request: Request, table: Table, read: readonly Item[], options: PageOptions): JsonObject {
  const index = options.index;
  const evaluated: Item[] = [];
  let bytes = 0;
  let fetched = 0;
  for (const item of read) {
    if (bytes >= MAX_PAGE_BYTES) break;
    const held = index ? indexView(table.schema, index.schema, item) : item;
    evaluated.push(index?.fetch ? item : held);
    bytes += itemBytes(held);
    if (index?.fetch) fetched += itemBytes(item);
  }
  const stopped = (options.limit !== undefined && evaluated.length >= options.limit) || bytes >= MAX_PAGE_BYTES;
  const last = evaluated[evaluated.length - 1];
  const matched = options.filter ? evaluated.filter((i) => evaluateCondition(options.filter as Condition, i)) : evaluated;
  const select = selectOf(request, options.projection);
  const items = options.projection ? matched.map((i) => project(i, options.projection as DocumentPath[])) : matched;
  const consistent = optionalBoolean(request, "ConsistentRead") ?? false;
  const lastKey = last && (index ? indexKeyOf(table.schema, index.schema, last) : keyOf(table.schema, last));
  return {
    ...(select === "COUNT" ? {} : { Items: items.map(itemJson) }),
    Count: items.length,
    ScannedCount: evaluated.length,
    ...(stopped && lastKey ? { LastEvaluatedKey: itemJson(lastKey) } : {}),
    ...(index
      ? consumedCapacity(request, table.name, fetched > 0 ? readUnits(fetched, consistent) : 0, { kind: index.schema.kind, name: index.schema.name, units: readUnits(bytes, consistent) })
      : consumedCapacity(request, table.name, readUnits(bytes, consistent))),
  };
}
