/**
 * A worker thread of a function's pool: loads the function's module once (warm, as a Lambda
 * execution environment), calls its handler with Lambda's context object, async or
 * callback style, and answers with the result or the error document Lambda's Node.js
 * runtime writes (`{errorType, errorMessage, trace}`).
 * https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html
 * https://docs.aws.amazon.com/lambda/latest/dg/nodejs-exceptions.html
 *
 * Self-contained on purpose (node: modules and type imports only): when Aslan runs from its
 * TypeScript sources, this one file is transpiled alone (worker-file.ts).
 */
import { basename } from "node:path";
import { pathToFileURL } from "node:url";
import { format, types } from "node:util";
import { BroadcastChannel } from "node:worker_threads";
import type { ContextData, InvokeRequest, InvokeResponse, LambdaErrorDocument, LogLine } from "./protocol.js";

type Handler = (event: unknown, context: object, callback: (error?: unknown, result?: unknown) => void) => unknown;

/** Thrown for failures Lambda's runtime names itself (Runtime.ImportModuleError, …). */
class RuntimeError extends Error {
  constructor(readonly errorType: string, message: string) {
    super(message);
  }
}

let channel: BroadcastChannel | undefined;
let requestId: string | undefined;

export default async function invoke(request: InvokeRequest): Promise<InvokeResponse> {
  captureConsole(request.logChannel);
  requestId = request.context.awsRequestId;
  try {
    const handler = await loadHandler(request.module, request.exportName);
    const result = await callHandler(handler, request.event, contextObject(request.context));
    return { ok: true, payload: JSON.stringify(result === undefined ? null : result) };
  } catch (e) {
    return { ok: false, error: errorDocument(e) };
  }
}

async function loadHandler(module: string, exportName: string): Promise<Handler> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(module).href)) as Record<string, unknown>;
  } catch (e) {
    const err = e as Error;
    if (err instanceof SyntaxError) throw new RuntimeError("Runtime.UserCodeSyntaxError", `${err.name}: ${err.message}`);
    throw new RuntimeError("Runtime.ImportModuleError", `${err.name}: ${err.message}`);
  }
  const fn = mod[exportName] ?? (exportName === "handler" ? (mod["default"] as Record<string, unknown> | undefined)?.["handler"] : undefined);
  const label = `${basename(module).replace(/\.[^.]+$/, "")}.${exportName}`;
  if (fn === undefined) throw new RuntimeError("Runtime.HandlerNotFound", `${label} is undefined or not exported`);
  if (typeof fn !== "function") throw new RuntimeError("Runtime.HandlerNotFound", `${label} is not a function`);
  return fn as Handler;
}

/** An async handler's promise, or the callback of a callback-style one (three parameters). */
function callHandler(handler: Handler, event: unknown, context: Record<string, unknown>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const done = (error?: unknown, result?: unknown): void => {
      if (settled) return;
      settled = true;
      if (error !== undefined && error !== null) reject(error);
      else resolve(result);
    };
    context["done"] = done;
    context["succeed"] = (result: unknown) => done(null, result);
    context["fail"] = (error: unknown) => done(error ?? new Error("handled"));
    let out: unknown;
    try {
      out = handler(event, context, done);
    } catch (e) {
      return done(e ?? new Error("handled"));
    }
    if (out !== null && typeof out === "object" && typeof (out as { then?: unknown }).then === "function") {
      (out as Promise<unknown>).then((r) => done(null, r), (e: unknown) => done(e ?? new Error("handled")));
    } else if (handler.length < 3) done(null, out);
  });
}

function contextObject(data: ContextData): Record<string, unknown> {
  const { deadlineMs, ...fields } = data;
  return {
    ...fields,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadlineMs - Date.now()),
  };
}

/** What Lambda's Node.js runtime reports for a thrown value. */
function errorDocument(e: unknown): LambdaErrorDocument {
  if (e instanceof RuntimeError) return { errorType: e.errorType, errorMessage: e.message, trace: (e.stack ?? "").split("\n") };
  try {
    if (types.isNativeError(e) || looksLikeError(e)) {
      const err = e as Error;
      return { errorType: err.name, errorMessage: err.message, trace: (err.stack ?? "").split("\n") };
    }
    return { errorType: typeof e, errorMessage: String((e as { toString(): string }).toString()), trace: [] };
  } catch {
    return { errorType: "handled", errorMessage: "callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack" };
  }
}

const looksLikeError = (e: unknown): boolean =>
  typeof e === "object" && e !== null && ["name", "message", "stack"].every((k) => typeof (e as Record<string, unknown>)[k] === "string");

const LEVELS = { log: "INFO", info: "INFO", warn: "WARN", error: "ERROR", debug: "DEBUG", trace: "TRACE" } as const;

/** The function's console goes to the adapter (a log line per call, with its request id), not to stdout. */
function captureConsole(name: string): void {
  if (channel) return;
  channel = new BroadcastChannel(name);
  (channel as unknown as { unref(): void }).unref();
  for (const [method, level] of Object.entries(LEVELS)) {
    (console as unknown as Record<string, (...args: unknown[]) => void>)[method] = (...args: unknown[]) => {
      const line: LogLine = { requestId: requestId ?? "", level, message: format(...args) };
      channel?.postMessage(line);
    };
  }
}
