/**
 * A reply to a `nats:request` Task as its result, `{ Payload, Headers }` (the reply parsed as
 * JSON, else its text), or as a failure when the responder says it failed the way NATS
 * micro services do: headers `Nats-Service-Error` (the message) and `Nats-Service-Error-Code`.
 * https://github.com/nats-io/nats-architecture-and-design/blob/main/adr/ADR-32.md
 */
import { TaskError } from "../../runtime/ports/adapter.js";
import type { Reply } from "../../runtime/ports/message-bus.js";
import type { Json, JsonObject } from "../../translators/json.js";

export const SERVICE_ERROR = "Nats-Service-Error";
export const SERVICE_ERROR_CODE = "Nats-Service-Error-Code";

const decoder = new TextDecoder();

export function replyResult(reply: Reply): JsonObject {
  const error = header(reply, SERVICE_ERROR);
  const code = header(reply, SERVICE_ERROR_CODE);
  if (error !== undefined || code !== undefined) {
    throw new TaskError("Nats.ServiceError", error || `the service answered with error code ${code ?? "?"}`);
  }
  return { Payload: replyPayload(reply.data), Headers: { ...reply.headers } };
}

function replyPayload(data: Uint8Array): Json {
  const text = decoder.decode(data);
  try {
    return JSON.parse(text) as Json;
  } catch {
    return text;
  }
}

/** Header names are matched without regard to case (clients differ in how they write them). */
function header(reply: Reply, name: string): string | undefined {
  const lower = name.toLowerCase();
  const key = Object.keys(reply.headers).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : reply.headers[key];
}
