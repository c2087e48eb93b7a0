/**
 * The local DynamoDB: runs the actions against a TableStore and answers as DynamoDB would
 * (body, request id, headers; errors as DynamoDbError with the request id set).
 */
import type { JsonObject } from "../../translators/json.js";
import type { Clock } from "../../runtime/ports/clock.js";
import type { DynamoDbAction, DynamoDbBackend, DynamoDbReply } from "./dynamodb-backend.js";
import { DynamoDbError } from "./dynamodb-error.js";
import { deleteItem } from "./operations/delete-item.js";
import { getItem } from "./operations/get-item.js";
import { putItem } from "./operations/put-item.js";
import { query } from "./operations/query.js";
import type { Request } from "./operations/request.js";
import { scan } from "./operations/scan.js";
import { updateItem } from "./operations/update-item.js";
import type { TableStore } from "./table-store.js";
import { requestId, responseHeaders } from "./wire.js";

const OPERATIONS = {
  GetItem: getItem,
  PutItem: putItem,
  UpdateItem: updateItem,
  DeleteItem: deleteItem,
  Query: query,
  Scan: scan,
} satisfies Record<DynamoDbAction, (store: TableStore, request: Request) => Promise<JsonObject>>;

export class LocalDynamoDb implements DynamoDbBackend {
  constructor(
    readonly store: TableStore,
    private readonly clock: Clock = { now: () => Date.now() },
  ) {}

  async send(action: DynamoDbAction, request: JsonObject): Promise<DynamoDbReply> {
    const id = requestId();
    try {
      const body = await OPERATIONS[action](this.store, request);
      return { body, requestId: id, statusCode: 200, headers: responseHeaders(JSON.stringify(body), id, this.clock.now()) };
    } catch (e) {
      if (e instanceof DynamoDbError) e.requestId = id;
      throw e;
    }
  }

  async close(): Promise<void> {
    await this.store.close?.();
  }
}
