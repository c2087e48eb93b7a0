/**
 * Lambda's Invoke API as a port: what `forward.lambda` sends to a real Lambda (or any endpoint
 * that speaks its REST API) instead of running the function here, and what comes back.
 * https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
 */
import type { InvocationType, LogType } from "./invoke-output.js";

/** One Invoke request, in the API's terms. */
export interface InvokeApiRequest {
  /** A name, partial ARN or ARN, with or without a qualifier, as the Task gave it. */
  readonly functionName: string;
  readonly qualifier?: string;
  readonly invocationType: InvocationType;
  readonly logType?: LogType;
  /** Base64-encoded JSON, passed on as is. */
  readonly clientContext?: string;
  /** The request body (JSON text): the function's event. */
  readonly payload: string;
  /** The function's region (from its ARN, else the account's): where to call it unless the config says. */
  readonly region: string;
}

/** Lambda's answer. A function error is an answer too (status 200 with `X-Amz-Function-Error`). */
export interface InvokeApiResponse {
  readonly statusCode: number;
  readonly requestId: string;
  /** In the order they came, with the casing AWS sends. */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string;
  /** `X-Amz-Function-Error` (Handled or Unhandled): the body is the function's error document. */
  readonly functionError?: string;
  readonly executedVersion?: string;
  readonly logResult?: string;
}

export interface LambdaInvoker {
  /**
   * Calls Invoke. Rejects with the TaskError Step Functions reports when the call itself fails:
   * `Lambda.<Exception>` for the service's errors, `Lambda.SdkClientException` when no answer
   * came. Aborting `signal` abandons the call.
   */
  invoke(request: InvokeApiRequest, signal?: AbortSignal): Promise<InvokeApiResponse>;
  close(): void;
}
