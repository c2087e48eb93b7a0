/**
 * What a `states:startExecution` Task gets back, shaped as AWS's integration shapes it (the
 * Java SDK's serialization: fields in alphabetical order, dates in epoch milliseconds):
 * - request-response (and the TaskSubmitted output of the others): StartExecution's answer
 *   with the SDK's `SdkHttpMetadata` and `SdkResponseMetadata`;
 * - `.sync`: DescribeExecution's answer, `Input`/`Output` as JSON text; `.sync:2`: the same
 *   with `Input`/`Output` parsed. A child that did not succeed fails the Task with
 *   `States.TaskFailed` and that object (with the child's `Error`/`Cause`) as JSON in the cause.
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html
 */
import type { Json, JsonObject } from "../../translators/json.js";
import type { ExecutionOutcome } from "../../runtime/ports/executions.js";

const CONTENT_TYPE = "application/x-amz-json-1.0";

export function startExecutionOutput(started: { executionArn: string; startDate: number }, requestId: string): JsonObject {
  // The API's JSON body, whose length the SDK reports (startDate in epoch seconds over the wire).
  const body = JSON.stringify({ executionArn: started.executionArn, startDate: started.startDate / 1000 });
  const length = String(Buffer.byteLength(body, "utf8"));
  const date = new Date(started.startDate).toUTCString();
  return {
    ExecutionArn: started.executionArn,
    SdkHttpMetadata: {
      AllHttpHeaders: { "x-amzn-RequestId": [requestId], connection: ["keep-alive"], "Content-Length": [length], Date: [date], "Content-Type": [CONTENT_TYPE] },
      HttpHeaders: { connection: "keep-alive", "Content-Length": length, "Content-Type": CONTENT_TYPE, Date: date, "x-amzn-RequestId": requestId },
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
    StartDate: started.startDate,
  };
}

/** How `.sync` (`"text"`) and `.sync:2` (`"json"`) give the child's input and output. */
export type DataForm = "text" | "json";

/** DescribeExecution's answer for an execution that has ended. */
export function describeExecutionOutput(o: ExecutionOutcome, form: DataForm): JsonObject {
  const data = (text: string): Json => (form === "json" ? (JSON.parse(text) as Json) : text);
  const succeeded = o.status === "SUCCEEDED";
  return {
    ...(o.cause !== undefined ? { Cause: o.cause } : {}),
    ...(o.error !== undefined ? { Error: o.error } : {}),
    ExecutionArn: o.executionArn,
    Input: data(o.input),
    InputDetails: { Included: true },
    Name: o.name,
    ...(succeeded ? { Output: data(o.output ?? "null"), OutputDetails: { Included: true } } : {}),
    ...redrive(o),
    StartDate: o.startDate,
    StateMachineArn: o.stateMachineArn,
    Status: o.status,
    ...(o.stopDate !== undefined ? { StopDate: o.stopDate } : {}),
  };
}

/**
 * A child just started and ended has never been redriven: a failed, timed-out or aborted one
 * can be, a succeeded one cannot (DescribeExecution's redrive fields).
 */
function redrive(o: ExecutionOutcome): JsonObject {
  return o.status === "SUCCEEDED" || o.status === "RUNNING"
    ? { RedriveCount: 0, RedriveStatus: "NOT_REDRIVABLE", RedriveStatusReason: `Execution is ${o.status} and cannot be redriven` }
    : { RedriveCount: 0, RedriveStatus: "REDRIVABLE" };
}
