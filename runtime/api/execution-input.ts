/**
 * JSON text fields of the execution actions: StartExecution's `input`, SendTaskSuccess's
 * `output`. At most 256 KiB (262,144 characters by the API model; the same in UTF-8 bytes by
 * the service quota), and valid JSON.
 * https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html#service-limits-task-executions
 */
import type { Json } from "../../translators/json.js";
import { ApiError } from "./errors.js";
import type { Body } from "./fields.js";

export const MAX_DATA_LENGTH = 262_144;

export interface JsonText {
  /** Exactly as the client sent it (DescribeExecution returns this). */
  readonly text: string;
  readonly value: Json;
}

/** `input` of StartExecution/StartSyncExecution: `{}` when absent; InvalidExecutionInput when not JSON. */
export function readExecutionInput(body: Body): JsonText {
  const text = dataField(body, "input") ?? "{}";
  const invalid = (why: string): ApiError => new ApiError("InvalidExecutionInput", `Invalid State Machine Execution Input: '${why}'`);
  // AWS: an empty string is not "no input" but an invalid one.
  if (text.trim() === "") throw invalid("Invalid execution input.");
  if (Buffer.byteLength(text, "utf8") > MAX_DATA_LENGTH) throw invalid(`The input is larger than ${MAX_DATA_LENGTH} bytes.`);
  return { text, value: parseOr(text, invalid) };
}

/** `output` of SendTaskSuccess: required; InvalidOutput when not JSON. */
export function readTaskOutput(body: Body): Json {
  const text = dataField(body, "output");
  if (text === undefined) throw sensitiveValidation("output", "Member must not be null");
  const invalid = (why: string): ApiError => new ApiError("InvalidOutput", `Invalid Output: '${why}'`);
  if (Buffer.byteLength(text, "utf8") > MAX_DATA_LENGTH) throw invalid(`The output is larger than ${MAX_DATA_LENGTH} bytes.`);
  return parseOr(text, invalid);
}

/**
 * A sensitive string field: AWS's validation messages leave the value out
 * ("Value at 'input' failed to satisfy constraint: …").
 */
function dataField(body: Body, field: string): string | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw new ApiError("SerializationException", `Field '${field}' must be a string`);
  if (v.length > MAX_DATA_LENGTH) throw sensitiveValidation(field, `Member must have length less than or equal to ${MAX_DATA_LENGTH}`);
  return v;
}

function sensitiveValidation(field: string, constraint: string): ApiError {
  return new ApiError("ValidationException", `1 validation error detected: Value at '${field}' failed to satisfy constraint: ${constraint}`);
}

function parseOr(text: string, invalid: (why: string) => ApiError): Json {
  try {
    return JSON.parse(text) as Json;
  } catch (e) {
    throw invalid((e as Error).message);
  }
}
