/**
 * What answers DynamoDB requests for the adapter: the local tables or a forwarded endpoint.
 * Both take the API's request JSON (PascalCase members, AttributeValue JSON with base64
 * binaries) and answer with the response JSON, or throw a DynamoDbError.
 */
import type { JsonObject } from "../../translators/json.js";

/** The DynamoDB API actions the adapter runs. */
export type DynamoDbAction = "GetItem" | "PutItem" | "UpdateItem" | "DeleteItem" | "Query" | "Scan";

export interface DynamoDbReply {
  readonly body: JsonObject;
  readonly requestId: string;
  readonly statusCode: number;
  /** Response headers as DynamoDB sent them (names in DynamoDB's casing). */
  readonly headers: Readonly<Record<string, string>>;
}

export interface DynamoDbBackend {
  send(action: DynamoDbAction, request: JsonObject, signal?: AbortSignal): Promise<DynamoDbReply>;
  close?(): Promise<void>;
}
