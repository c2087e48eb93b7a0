/**
 * Forwarding to a real DynamoDB (AWS, or any compatible endpoint) through the AWS SDK v3
 * client: the one file that imports `@aws-sdk/client-dynamodb` (STYLE.md 3). Requests and
 * answers keep the API's JSON shapes; the SDK wants binaries as bytes, so `B`/`BS` values
 * are decoded from base64 on the way out and encoded back on the way in.
 */
import {
  DeleteItemCommand,
  DynamoDBClient,
  DynamoDBServiceException,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import type { JsonObject } from "../../translators/json.js";
import type { ForwardConfig } from "../../runtime/config/project-config.js";
import type { DynamoDbAction, DynamoDbBackend, DynamoDbReply } from "./dynamodb-backend.js";
import { DynamoDbError } from "./dynamodb-error.js";
import { captureRawResponse } from "../sdk-raw-response.js";

/** One command class stands for all six: they differ only in their input and output types. */
type Command = GetItemCommand;
type CommandClass = new (input: never) => Command;

const COMMANDS: Readonly<Record<DynamoDbAction, CommandClass>> = {
  GetItem: GetItemCommand,
  PutItem: PutItemCommand as unknown as CommandClass,
  UpdateItem: UpdateItemCommand as unknown as CommandClass,
  DeleteItem: DeleteItemCommand as unknown as CommandClass,
  Query: QueryCommand as unknown as CommandClass,
  Scan: ScanCommand as unknown as CommandClass,
};

/** DynamoDB's casing for the headers it sends (Node reports them lower-cased). */
const HEADER_NAMES: Readonly<Record<string, string>> = {
  server: "Server",
  date: "Date",
  "content-type": "Content-Type",
  "content-length": "Content-Length",
  connection: "Connection",
  "x-amzn-requestid": "x-amzn-RequestId",
  "x-amz-crc32": "x-amz-crc32",
};

export class ForwardDynamoDb implements DynamoDbBackend {
  private readonly client: DynamoDBClient;

  constructor(config: ForwardConfig) {
    this.client = new DynamoDBClient({
      region: config.region ?? "us-east-1",
      maxAttempts: 1,
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      ...(config.credentials ? { credentials: config.credentials } : {}),
    });
  }

  async send(action: DynamoDbAction, request: JsonObject, signal?: AbortSignal): Promise<DynamoDbReply> {
    const command = new COMMANDS[action](toSdk(request) as never);
    const response = captureRawResponse(command);
    try {
      const output = (await this.client.send(command, signal ? { abortSignal: signal } : {})) as unknown as Record<string, unknown>;
      const { $metadata, ...body } = output;
      const requestId = ($metadata as { requestId?: string }).requestId ?? "";
      return { body: fromSdk(body) as JsonObject, requestId, statusCode: response().statusCode ?? 200, headers: headersOf(response().headers ?? {}) };
    } catch (e) {
      if (e instanceof DynamoDBServiceException) {
        throw new DynamoDbError(e.name, e.message, e.$metadata.httpStatusCode ?? 400, e.$metadata.requestId);
      }
      throw e;
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}

function headersOf(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [HEADER_NAMES[k.toLowerCase()] ?? k, v]));
}

/** `{"B": "<base64>"}` → bytes, `{"BS": [...]}` → bytes[] (attribute values are never strings, so only binaries match). */
function toSdk(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(toSdk);
  if (typeof v !== "object" || v === null) return v;
  return Object.fromEntries(
    Object.entries(v).map(([k, e]) => {
      if (k === "B" && typeof e === "string") return [k, Buffer.from(e, "base64")];
      if (k === "BS" && Array.isArray(e) && e.every((s) => typeof s === "string")) return [k, e.map((s: string) => Buffer.from(s, "base64"))];
      return [k, toSdk(e)];
    }),
  );
}

function fromSdk(v: unknown): unknown {
  if (v instanceof Uint8Array) return Buffer.from(v).toString("base64");
  if (Array.isArray(v)) return v.map(fromSdk);
  if (typeof v !== "object" || v === null) return v;
  return Object.fromEntries(Object.entries(v).filter(([, e]) => e !== undefined).map(([k, e]) => [k, fromSdk(e)]));
}
