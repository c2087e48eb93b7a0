/**
 * The SQS API over a QueueStore, in SQS's JSON protocol (`X-Amz-Target: AmazonSQS.<Action>`,
 * `application/x-amz-json-1.0`), so workers in other processes read a project's queues with
 * the AWS SDKs and CLI (`--endpoint-url`). Actions: ListQueues, GetQueueUrl, GetQueueAttributes,
 * SendMessage, ReceiveMessage, DeleteMessage, ChangeMessageVisibility. Queue URLs it hands out
 * are `<endpoint>/<account>/<name>`. Authentication is the host server's business.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/sqs-api-responses.html
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { isObject, type Json, type JsonObject } from "../../translators/json.js";
import { QueueError, queueDoesNotExist, type QueueStore, type ReceivedMessage } from "./queue-store.js";
import { messageAttributes } from "./send-message-task.js";

export interface SqsApiOptions {
  readonly accountId?: string;
}

type Reply = { readonly status: number; readonly body: JsonObject; readonly queryError?: string };

const QUERY_CODES: Record<string, string> = {
  QueueDoesNotExist: "AWS.SimpleQueueService.NonExistentQueue",
  UnsupportedOperation: "AWS.SimpleQueueService.UnsupportedOperation",
};

/** Whether a request is for this API (its X-Amz-Target names AmazonSQS). */
export const isSqsRequest = (req: IncomingMessage): boolean => String(req.headers["x-amz-target"] ?? "").startsWith("AmazonSQS.");

/** A node:http request listener serving the SQS API. */
export function sqsApiListener(store: QueueStore, options: SqsApiOptions = {}): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    serve(req, res, store, options).catch((e: unknown) => {
      if (!res.headersSent) send(res, { status: 500, body: { __type: "com.amazonaws.sqs#InternalError", message: e instanceof Error ? e.message : String(e) } });
      else res.destroy();
    });
  };
}

async function serve(req: IncomingMessage, res: ServerResponse, store: QueueStore, options: SqsApiOptions): Promise<void> {
  const abort = new AbortController();
  res.on("close", () => abort.abort());
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  let body: Json;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Json;
  } catch {
    return send(res, { status: 400, body: { __type: "com.amazonaws.sqs#InvalidParameterValue", message: "The request body is not JSON." } });
  }
  const action = String(req.headers["x-amz-target"] ?? "").replace(/^AmazonSQS\./, "");
  const base = `http://${req.headers.host ?? "localhost"}/${options.accountId ?? "123456789012"}`;
  send(res, await handleSqsAction(action, isObject(body) ? body : {}, store, base, abort.signal));
}

function send(res: ServerResponse, reply: Reply): void {
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    "Content-Type": "application/x-amz-json-1.0",
    "Content-Length": Buffer.byteLength(text),
    ...(reply.queryError ? { "x-amzn-query-error": reply.queryError } : {}),
  });
  res.end(text);
}

/** One action; `base` is `<endpoint>/<account>`, the prefix of the queue URLs it returns. */
export async function handleSqsAction(action: string, body: JsonObject, store: QueueStore, base: string, signal?: AbortSignal): Promise<Reply> {
  try {
    return { status: 200, body: await run(action, body, store, base, signal) };
  } catch (e) {
    if (!(e instanceof QueueError)) throw e;
    return {
      status: e.statusCode,
      body: { __type: `com.amazonaws.sqs#${e.code}`, message: e.message },
      queryError: `${QUERY_CODES[e.code] ?? e.code};Sender`,
    };
  }
}

const str = (b: JsonObject, key: string): string | undefined => (typeof b[key] === "string" ? (b[key] as string) : undefined);
const num = (b: JsonObject, key: string): number | undefined => (typeof b[key] === "number" ? (b[key] as number) : undefined);

function queueOf(b: JsonObject): string {
  const url = str(b, "QueueUrl");
  if (url === undefined) throw new QueueError("MissingParameter", "The request must contain the parameter QueueUrl.");
  return url;
}

async function run(action: string, b: JsonObject, store: QueueStore, base: string, signal?: AbortSignal): Promise<JsonObject> {
  switch (action) {
    case "ListQueues": {
      const prefix = str(b, "QueueNamePrefix") ?? "";
      const names = (await store.listQueues()).map((q) => q.name).filter((n) => n.startsWith(prefix));
      return names.length > 0 ? { QueueUrls: names.map((n) => `${base}/${n}`) } : {};
    }
    case "GetQueueUrl": {
      const name = str(b, "QueueName") ?? "";
      if (!(await store.listQueues()).some((q) => q.name === name)) throw queueDoesNotExist();
      return { QueueUrl: `${base}/${name}` };
    }
    case "GetQueueAttributes":
      return { Attributes: selected(await store.getQueueAttributes(queueOf(b)), names(b, "AttributeNames")) };
    case "SendMessage":
      return sendMessage(b, store);
    case "ReceiveMessage":
      return receiveMessage(b, store, signal);
    case "DeleteMessage":
      await store.deleteMessage(queueOf(b), str(b, "ReceiptHandle") ?? "");
      return {};
    case "ChangeMessageVisibility":
      await store.changeMessageVisibility(queueOf(b), str(b, "ReceiptHandle") ?? "", num(b, "VisibilityTimeout") ?? 0);
      return {};
    default:
      throw new QueueError("UnsupportedOperation", `${action} is not supported by this endpoint.`);
  }
}

async function sendMessage(b: JsonObject, store: QueueStore): Promise<JsonObject> {
  const delay = num(b, "DelaySeconds");
  const group = str(b, "MessageGroupId");
  const dedup = str(b, "MessageDeduplicationId");
  const out = await store.sendMessage(queueOf(b), {
    body: str(b, "MessageBody") ?? "",
    ...(delay !== undefined ? { delaySeconds: delay } : {}),
    ...(group !== undefined ? { messageGroupId: group } : {}),
    ...(dedup !== undefined ? { messageDeduplicationId: dedup } : {}),
    ...(isObject(b["MessageAttributes"]) ? { messageAttributes: messageAttributes(b["MessageAttributes"]) } : {}),
  });
  return { ...out };
}

async function receiveMessage(b: JsonObject, store: QueueStore, signal?: AbortSignal): Promise<JsonObject> {
  const max = num(b, "MaxNumberOfMessages");
  const visibility = num(b, "VisibilityTimeout");
  const wait = num(b, "WaitTimeSeconds");
  const messages = await store.receiveMessages(queueOf(b), {
    ...(max !== undefined ? { maxMessages: max } : {}),
    ...(visibility !== undefined ? { visibilityTimeoutSeconds: visibility } : {}),
    ...(wait !== undefined ? { waitTimeSeconds: wait } : {}),
    ...(signal ? { signal } : {}),
  });
  if (messages.length === 0) return {};
  const system = [...names(b, "AttributeNames"), ...names(b, "MessageSystemAttributeNames")];
  const wanted = names(b, "MessageAttributeNames");
  return { Messages: messages.map((m) => shaped(m, system, wanted)) };
}

/** A received message with the system and message attributes the request asked for. */
function shaped(m: ReceivedMessage, system: string[], wanted: string[]): JsonObject {
  const attrs = selected(m.Attributes, system);
  const userAttrs: JsonObject = {};
  for (const [name, a] of Object.entries(m.MessageAttributes ?? {})) {
    if (wanted.some((w) => w === "All" || w === ".*" || w === name || (w.endsWith(".*") && name.startsWith(w.slice(0, -1))))) userAttrs[name] = { ...a };
  }
  const hasUser = Object.keys(userAttrs).length > 0;
  return {
    MessageId: m.MessageId, ReceiptHandle: m.ReceiptHandle, MD5OfBody: m.MD5OfBody, Body: m.Body,
    ...(Object.keys(attrs).length > 0 ? { Attributes: attrs } : {}),
    ...(hasUser ? { MessageAttributes: userAttrs, MD5OfMessageAttributes: m.MD5OfMessageAttributes ?? "" } : {}),
  };
}

function names(b: JsonObject, key: string): string[] {
  const v = b[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

function selected(all: Readonly<Record<string, string>>, wanted: string[]): Record<string, string> {
  if (wanted.includes("All")) return { ...all };
  const out: Record<string, string> = {};
  for (const k of wanted) if (all[k] !== undefined) out[k] = all[k];
  return out;
}
