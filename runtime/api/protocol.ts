/**
 * The AWS JSON 1.0 protocol: `POST /` with `X-Amz-Target: AWSStepFunctions.<Action>` and a
 * JSON object body; answers are JSON, errors `{"__type", "message"}`.
 */
import type { IncomingMessage } from "node:http";
import { ApiError } from "./errors.js";
import type { Body } from "./fields.js";

export const TARGET_PREFIX = "AWSStepFunctions.";
export const CONTENT_TYPE = "application/x-amz-json-1.0";

/** The largest request body accepted (a definition may be 1 MB, inputs 256 KiB, as escaped JSON text). */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Reads the whole body; over `limit` bytes is an error (the rest is drained, not buffered). */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      if (!over) chunks.push(chunk);
    });
    req.on("end", () => {
      if (over) reject(new ApiError("RequestEntityTooLarge", `Request body is ${size} bytes; the limit is ${limit} bytes`));
      else resolve(Buffer.concat(chunks));
    });
    req.on("error", reject);
  });
}

/** The action named by X-Amz-Target. */
export function actionOf(req: IncomingMessage): string {
  const target = req.headers["x-amz-target"];
  if (typeof target !== "string" || !target.startsWith(TARGET_PREFIX)) {
    throw new ApiError("UnknownOperationException", target ? `Unknown target '${String(target)}'` : "Missing X-Amz-Target header");
  }
  return target.slice(TARGET_PREFIX.length);
}

/** The body as a JSON object (an empty body is `{}`). */
export function parseBody(raw: Buffer): Body {
  const text = raw.toString("utf8");
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ApiError("SerializationException", `Request body is not valid JSON: ${(e as Error).message}`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ApiError("SerializationException", "Request body must be a JSON object");
  }
  return value as Body;
}
