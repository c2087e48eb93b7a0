/**
 * A throwaway dynalite (an npm DynamoDB work-alike) on a random loopback port, with the
 * config's tables created in it (their indexes too), for the tests that compare our tables
 * with a DynamoDB answering the same requests.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import dynalite from "dynalite";
import type { DynamoDbAction, DynamoDbBackend } from "../../adapters/dynamodb/dynamodb-backend.js";
import { DynamoDbError } from "../../adapters/dynamodb/dynamodb-error.js";
import { indexesOf } from "../../adapters/dynamodb/table-indexes.js";
import type { IndexProjection, TableSchema } from "../../adapters/dynamodb/table-store.js";
import type { JsonObject } from "../../translators/json.js";

/** What a DynamoDB backend answered one request: its body, or its error code and message. */
export type Outcome = { ok: JsonObject } | { error: string; message: string };

export async function outcome(backend: DynamoDbBackend, action: DynamoDbAction, request: JsonObject): Promise<Outcome> {
  try {
    return { ok: (await backend.send(action, request)).body };
  } catch (e) {
    if (e instanceof DynamoDbError) return { error: e.code, message: e.message };
    throw e;
  }
}

export interface Dynalite {
  readonly endpoint: string;
  close(): Promise<void>;
}

export async function startDynalite(tables: Readonly<Record<string, TableSchema>>): Promise<Dynalite> {
  const server: Server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const admin = new DynamoDBClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } });
  for (const [name, schema] of Object.entries(tables)) await admin.send(new CreateTableCommand(createTable(name, schema)));
  admin.destroy();
  return {
    endpoint,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const projectionOf = (p: IndexProjection | undefined): { ProjectionType: "ALL" | "KEYS_ONLY" | "INCLUDE"; NonKeyAttributes?: string[] } =>
  p === undefined || p === "ALL" ? { ProjectionType: "ALL" } : p === "KEYS_ONLY" ? { ProjectionType: "KEYS_ONLY" } : { ProjectionType: "INCLUDE", NonKeyAttributes: [...p.include] };

/** The CreateTable request for a table of the config, its indexes included. */
function createTable(name: string, schema: TableSchema): ConstructorParameters<typeof CreateTableCommand>[0] {
  const keySchema = (k: Pick<TableSchema, "partitionKey" | "sortKey">): { AttributeName: string; KeyType: "HASH" | "RANGE" }[] =>
    [k.partitionKey, ...(k.sortKey ? [k.sortKey] : [])].map((a, i) => ({ AttributeName: a.name, KeyType: i === 0 ? "HASH" : "RANGE" }));
  const indexes = indexesOf(schema);
  const attributes = new Map([schema.partitionKey, schema.sortKey, ...indexes.flatMap((i) => [i.partitionKey, i.sortKey])].flatMap((k) => (k ? [[k.name, k.type]] : [])));
  const declared = (kind: "global" | "local"): { IndexName: string; KeySchema: ReturnType<typeof keySchema>; Projection: ReturnType<typeof projectionOf> }[] =>
    indexes.filter((i) => i.kind === kind).map((i) => ({ IndexName: i.name, KeySchema: keySchema(i), Projection: projectionOf(i.projection) }));
  const global = declared("global");
  const local = declared("local");
  return {
    TableName: name,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType: AttributeType as "S" | "N" | "B" })),
    KeySchema: keySchema(schema),
    ...(global.length > 0 ? { GlobalSecondaryIndexes: global } : {}),
    ...(local.length > 0 ? { LocalSecondaryIndexes: local } : {}),
  };
}
