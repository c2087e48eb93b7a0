/**
 * A `nats:request` or `nats:publish` Task's Parameters (JSONPath) or Arguments (JSONata):
 * `Subject`, `Payload` (a string is sent as is, any other JSON value as its JSON text, none
 * as an empty message), `Headers` (names → string values) and, for requests,
 * `TimeoutSeconds` (60 unless given). Mistakes are States.Runtime errors naming the field,
 * as for the other integrations' parameters.
 */
import { TaskError } from "../../runtime/ports/adapter.js";
import { subjectProblem, type MessageHeaders } from "../../runtime/ports/message-bus.js";
import { isObject, type Json, type JsonObject } from "../../translators/json.js";

export type NatsAction = "request" | "publish";

export interface NatsTask {
  readonly subject: string;
  readonly data: Uint8Array;
  readonly headers?: MessageHeaders;
  readonly timeoutMs: number;
}

/** How long a request waits for its reply unless the Task says (the Task's own TimeoutSeconds still applies). */
export const DEFAULT_REQUEST_TIMEOUT_SECONDS = 60;

const FIELDS: Record<NatsAction, readonly string[]> = {
  request: ["Subject", "Payload", "Headers", "TimeoutSeconds"],
  publish: ["Subject", "Payload", "Headers"],
};

const runtimeError = (message: string): TaskError => new TaskError("States.Runtime", message);

export function readNatsTask(action: NatsAction, payload: Json): NatsTask {
  const what = `nats:${action}`;
  if (!isObject(payload)) throw runtimeError(`The Parameters of ${what} must be an object, but were: ${JSON.stringify(payload)}`);
  for (const field of Object.keys(payload)) {
    if (!FIELDS[action].includes(field)) throw runtimeError(`The field '${field}' is not supported for ${what} (supported: ${FIELDS[action].join(", ")})`);
  }
  const headers = readHeaders(what, payload["Headers"]);
  return {
    subject: readSubject(what, payload["Subject"]),
    data: encodePayload(payload["Payload"]),
    ...(headers ? { headers } : {}),
    timeoutMs: readTimeout(what, payload["TimeoutSeconds"]) * 1000,
  };
}

function readSubject(what: string, value: Json | undefined): string {
  if (typeof value !== "string") throw runtimeError(`The field 'Subject' of ${what} must be a string, but was: ${JSON.stringify(value ?? null)}`);
  const problem = subjectProblem(value, { wildcards: false });
  if (problem !== undefined) throw runtimeError(`The field 'Subject' of ${what} is not a valid NATS subject: '${value}' ${problem}`);
  return value;
}

function readTimeout(what: string, value: Json | undefined): number {
  if (value === undefined) return DEFAULT_REQUEST_TIMEOUT_SECONDS;
  if (typeof value !== "number" || !(value > 0) || !Number.isFinite(value)) {
    throw runtimeError(`The field 'TimeoutSeconds' of ${what} must be a positive number, but was: ${JSON.stringify(value)}`);
  }
  return value;
}

/** Header values may be strings, numbers or booleans (sent as text). */
function readHeaders(what: string, value: Json | undefined): MessageHeaders | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw runtimeError(`The field 'Headers' of ${what} must be an object of header names to values, but was: ${JSON.stringify(value)}`);
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(value as JsonObject)) {
    if (!/^[!-9;-~]+$/.test(name)) throw runtimeError(`The header name '${name}' of ${what} is not valid (printable ASCII, no ':' or white space)`);
    if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") {
      throw runtimeError(`The header '${name}' of ${what} must be a string, but was: ${JSON.stringify(v)}`);
    }
    const text = String(v);
    if (/[\r\n]/.test(text)) throw runtimeError(`The header '${name}' of ${what} must not contain line breaks`);
    out[name] = text;
  }
  return out;
}

const encoder = new TextEncoder();

function encodePayload(value: Json | undefined): Uint8Array {
  if (value === undefined) return new Uint8Array(0);
  return encoder.encode(typeof value === "string" ? value : JSON.stringify(value));
}
