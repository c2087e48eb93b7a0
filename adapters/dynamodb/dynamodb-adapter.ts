/**
 * The DynamoDB-like adapter: Task states with
 * - `arn:aws:states:::dynamodb:getItem|putItem|updateItem|deleteItem` (optimized integration:
 *   the API's response plus SdkHttpMetadata/SdkResponseMetadata), and
 * - `arn:aws:states:::aws-sdk:dynamodb:getItem|putItem|updateItem|deleteItem|query|scan`
 *   (the API's response as is),
 * with the API's request members (PascalCase) as Parameters/Arguments, run against the local
 * tables or forwarded to a configured endpoint, errors named as Step Functions names them.
 * `.waitForTaskToken` runs the request, then the Task waits for its token.
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html
 */
import { isObject, type Json, type JsonObject } from "../../translators/json.js";
import type { ResourceInfo } from "../../translators/dataflow/resource.js";
import { TaskError, type Adapter, type AdapterTask } from "../../runtime/ports/adapter.js";
import type { DynamoDbAction, DynamoDbBackend } from "./dynamodb-backend.js";
import { DynamoDbError } from "./dynamodb-error.js";
import { withSdkMetadata } from "./sdk-metadata.js";
import { toTaskError, type Integration } from "./step-functions-errors.js";

/** Step Functions' action names (camelCase) → DynamoDB's API actions, per integration. */
const OPTIMIZED: Readonly<Record<string, DynamoDbAction>> = { getItem: "GetItem", putItem: "PutItem", updateItem: "UpdateItem", deleteItem: "DeleteItem" };
const AWS_SDK: Readonly<Record<string, DynamoDbAction>> = { ...OPTIMIZED, query: "Query", scan: "Scan" };

interface Target {
  readonly integration: Integration;
  readonly action: DynamoDbAction;
}

function targetOf(resource: ResourceInfo): Target | undefined {
  if (resource.kind !== "service" || resource.pattern === "sync") return undefined;
  const name = resource.resource.split(".")[0] as string;
  if (resource.resourceType === "dynamodb" && Object.hasOwn(OPTIMIZED, name)) return { integration: "optimized", action: OPTIMIZED[name] as DynamoDbAction };
  if (resource.resourceType === "aws-sdk:dynamodb" && Object.hasOwn(AWS_SDK, name)) return { integration: "aws-sdk", action: AWS_SDK[name] as DynamoDbAction };
  return undefined;
}

export class DynamoDbAdapter implements Adapter {
  readonly name = "dynamodb";
  readonly resources = [
    ...Object.keys(OPTIMIZED).map((a) => `arn:aws:states:::dynamodb:${a}`),
    ...Object.keys(AWS_SDK).map((a) => `arn:aws:states:::aws-sdk:dynamodb:${a}`),
  ];

  constructor(private readonly backend: DynamoDbBackend) {}

  handles(resource: ResourceInfo): boolean {
    return targetOf(resource) !== undefined;
  }

  async run(task: AdapterTask): Promise<Json> {
    const target = targetOf(task.resource);
    if (!target) throw new TaskError("States.Runtime", `The DynamoDB adapter does not run resource '${task.resource.arn}'`);
    const request: JsonObject = isObject(task.payload) ? task.payload : {};
    try {
      const reply = await this.backend.send(target.action, request, task.signal);
      return target.integration === "optimized" ? withSdkMetadata(reply) : reply.body;
    } catch (e) {
      if (e instanceof DynamoDbError) throw toTaskError(e, target.integration);
      throw new TaskError("States.TaskFailed", e instanceof Error ? e.message : String(e));
    }
  }

  async close(): Promise<void> {
    await this.backend.close?.();
  }
}
