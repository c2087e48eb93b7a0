/**
 * `forward.lambda`: Invoke through the AWS SDK v3 client, on a real Lambda or any endpoint that
 * speaks its REST API. The one file that imports `@aws-sdk/client-lambda` (STYLE.md 3). Its
 * failures become what Step Functions' Java SDK raises, which the Task reports as
 * `Lambda.<simple class name>`: a modeled service exception by its code, any other error answer
 * as `AWSLambdaException`, no answer at all as `SdkClientException`.
 * https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html
 */
import { InvokeCommand, LambdaClient, LambdaServiceException } from "@aws-sdk/client-lambda";
import type { ForwardConfig } from "../../runtime/config/project-config.js";
import type { TaskError } from "../../runtime/ports/adapter.js";
import { cancelled, sdkClientException, serviceException, unmodeledServiceException } from "./errors.js";
import type { InvokeApiRequest, InvokeApiResponse, LambdaInvoker } from "./lambda-invoker.js";
import { captureRawResponse } from "../sdk-raw-response.js";

/** Lambda's casing for the headers it sends (Node reports them lower-cased). */
const HEADER_NAMES: Readonly<Record<string, string>> = {
  date: "Date",
  "content-type": "Content-Type",
  "content-length": "Content-Length",
  connection: "Connection",
  "x-amzn-requestid": "x-amzn-RequestId",
  "x-amzn-remapped-content-length": "x-amzn-Remapped-Content-Length",
  "x-amzn-trace-id": "X-Amzn-Trace-Id",
  "x-amz-executed-version": "X-Amz-Executed-Version",
  "x-amz-function-error": "X-Amz-Function-Error",
  "x-amz-log-result": "X-Amz-Log-Result",
};

export class SdkLambdaInvoker implements LambdaInvoker {
  /** One client per region: Step Functions calls a function in the region of its ARN. */
  private readonly clients = new Map<string, LambdaClient>();

  constructor(private readonly forward: ForwardConfig) {}

  async invoke(request: InvokeApiRequest, signal?: AbortSignal): Promise<InvokeApiResponse> {
    const command = new InvokeCommand({
      FunctionName: request.functionName,
      InvocationType: request.invocationType,
      Payload: Buffer.from(request.payload, "utf8"),
      ...(request.qualifier !== undefined ? { Qualifier: request.qualifier } : {}),
      ...(request.logType !== undefined ? { LogType: request.logType } : {}),
      ...(request.clientContext !== undefined ? { ClientContext: request.clientContext } : {}),
    });
    const response = captureRawResponse(command);
    try {
      const out = await this.client(request.region).send(command, signal ? { abortSignal: signal } : {});
      return {
        statusCode: out.StatusCode ?? out.$metadata.httpStatusCode ?? 200,
        requestId: out.$metadata.requestId ?? "",
        headers: Object.entries(response().headers ?? {}).map(([k, v]) => [HEADER_NAMES[k.toLowerCase()] ?? k, v]),
        body: Buffer.from(out.Payload ?? new Uint8Array()).toString("utf8"),
        ...(out.FunctionError !== undefined ? { functionError: out.FunctionError } : {}),
        ...(out.ExecutedVersion !== undefined ? { executedVersion: out.ExecutedVersion } : {}),
        ...(out.LogResult !== undefined ? { logResult: out.LogResult } : {}),
      };
    } catch (e) {
      throw signal?.aborted ? cancelled() : failure(e);
    }
  }

  close(): void {
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
  }

  private client(functionRegion: string): LambdaClient {
    const region = this.forward.region ?? functionRegion;
    let client = this.clients.get(region);
    if (!client) {
      client = new LambdaClient({
        region,
        // As Step Functions: one attempt per Task attempt; the state's Retry decides what is retried.
        maxAttempts: 1,
        ...(this.forward.endpoint !== undefined ? { endpoint: this.forward.endpoint } : {}),
        ...(this.forward.credentials ? { credentials: this.forward.credentials } : {}),
      });
      this.clients.set(region, client);
    }
    return client;
  }
}

/** What a failed call means to Step Functions. */
function failure(e: unknown): TaskError {
  const metadata = (e as { $metadata?: { httpStatusCode?: number; requestId?: string } }).$metadata;
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof LambdaServiceException) {
    const status = metadata?.httpStatusCode ?? 500;
    const requestId = metadata?.requestId ?? "null";
    // The SDK raises its base class for codes Lambda's model does not have.
    const modeled = Object.getPrototypeOf(e) !== LambdaServiceException.prototype;
    return modeled ? serviceException(e.name, status, e.message, requestId) : unmodeledServiceException(e.name, status, e.message, requestId);
  }
  // An answer the SDK could not read as an error document (a proxy's HTML page, say).
  if (metadata?.httpStatusCode !== undefined) {
    return unmodeledServiceException("null", metadata.httpStatusCode, message.split("\n")[0] ?? message, metadata.requestId ?? "null");
  }
  return sdkClientException(message);
}
