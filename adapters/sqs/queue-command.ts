/**
 * `aslan queue …`: reads and writes a project's queues from the command line. Output is JSON
 * shaped as the AWS CLI's (`aws sqs receive-message`, `send-message`), so scripts can use jq.
 */
import { readFile } from "node:fs/promises";
import { parseArgs, rejectUnknownOptions, optionValue, UsageError, type ParsedArgs } from "../../runtime/cli/args.js";
import type { Json } from "../../translators/json.js";
import { messageAttributes } from "./send-message-task.js";
import { QueueError, type QueueStore, type SendMessageInput } from "./queue-store.js";

export const QUEUE_USAGE = `usage:
  aslan queue list
  aslan queue send <queue> <body | @file> [--group-id <id>] [--dedup-id <id>] [--delay <seconds>]
                   [--attributes '{"name":{"DataType":"String","StringValue":"v"}}']
  aslan queue receive <queue> [--wait <0-20 seconds>] [--max <1-10>] [--visibility <seconds>] [--delete]

  <queue> is a queue's name or URL. receive prints {"Messages":[…]} (each with MessageId,
  ReceiptHandle, Body, Attributes…); --delete deletes what it printed.`;

export interface QueueCommandIo {
  out(text: string): void;
  err(text: string): void;
}

const processIo: QueueCommandIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

const VALUED = new Set(["group-id", "dedup-id", "delay", "attributes", "wait", "max", "visibility"]);

/**
 * Runs `aslan queue <argv…>` against a store. Resolves with the exit status: 0 done, 1 the
 * queue service refused (its error printed); throws UsageError for bad usage (exit 2).
 */
export async function runQueueCommand(argv: readonly string[], store: QueueStore, io: QueueCommandIo = processIo): Promise<number> {
  const [sub, ...rest] = argv;
  const args = parseArgs(rest, VALUED);
  try {
    switch (sub) {
      case "list":
        rejectUnknownOptions(args, new Set());
        return await list(store, io);
      case "send":
        rejectUnknownOptions(args, new Set(["group-id", "dedup-id", "delay", "attributes"]));
        return await send(args, store, io);
      case "receive":
        rejectUnknownOptions(args, new Set(["wait", "max", "visibility", "delete"]));
        return await receive(args, store, io);
      default:
        throw new UsageError(sub === undefined ? `aslan queue needs a subcommand\n${QUEUE_USAGE}` : `unknown queue subcommand '${sub}'\n${QUEUE_USAGE}`);
    }
  } catch (e) {
    if (!(e instanceof QueueError)) throw e;
    io.err(`aslan queue: ${e.code}: ${e.message}\n`);
    return 1;
  }
}

const print = (io: QueueCommandIo, value: unknown): void => io.out(JSON.stringify(value, null, 2) + "\n");

async function list(store: QueueStore, io: QueueCommandIo): Promise<number> {
  const queues = [];
  for (const q of await store.listQueues()) {
    const a = await store.getQueueAttributes(q.name);
    queues.push({
      QueueName: q.name,
      QueueUrl: urlFromArn(a["QueueArn"]) ?? q.name,
      FifoQueue: q.fifo,
      ApproximateNumberOfMessages: Number(a["ApproximateNumberOfMessages"] ?? 0),
      ApproximateNumberOfMessagesNotVisible: Number(a["ApproximateNumberOfMessagesNotVisible"] ?? 0),
    });
  }
  print(io, { Queues: queues });
  return 0;
}

async function send(args: ParsedArgs, store: QueueStore, io: QueueCommandIo): Promise<number> {
  const [queue, body] = args.positionals;
  if (queue === undefined || body === undefined) throw new UsageError(`aslan queue send needs a queue and a body\n${QUEUE_USAGE}`);
  const group = optionValue(args, "group-id");
  const dedup = optionValue(args, "dedup-id");
  const delay = optionValue(args, "delay");
  const attributes = optionValue(args, "attributes");
  const input: SendMessageInput = {
    body: await bodyText(body),
    ...(group !== undefined ? { messageGroupId: group } : {}),
    ...(dedup !== undefined ? { messageDeduplicationId: dedup } : {}),
    ...(delay !== undefined ? { delaySeconds: integer("delay", delay) } : {}),
    ...(attributes !== undefined ? { messageAttributes: messageAttributes(parseJson("attributes", attributes)) } : {}),
  };
  print(io, await store.sendMessage(queue, input));
  return 0;
}

async function receive(args: ParsedArgs, store: QueueStore, io: QueueCommandIo): Promise<number> {
  const queue = args.positionals[0];
  if (queue === undefined) throw new UsageError(`aslan queue receive needs a queue\n${QUEUE_USAGE}`);
  const wait = optionValue(args, "wait");
  const max = optionValue(args, "max");
  const visibility = optionValue(args, "visibility");
  const messages = await store.receiveMessages(queue, {
    waitTimeSeconds: wait === undefined ? 0 : integer("wait", wait),
    maxMessages: max === undefined ? 1 : integer("max", max),
    ...(visibility !== undefined ? { visibilityTimeoutSeconds: integer("visibility", visibility) } : {}),
  });
  print(io, { Messages: messages });
  if (args.options.has("delete")) for (const m of messages) await store.deleteMessage(queue, m.ReceiptHandle);
  return 0;
}

async function bodyText(arg: string): Promise<string> {
  if (!arg.startsWith("@")) return arg;
  try {
    return await readFile(arg.slice(1), "utf8");
  } catch (e) {
    throw new UsageError(`cannot read message body file '${arg.slice(1)}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function integer(option: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n)) throw new UsageError(`--${option} needs an integer, got '${text}'`);
  return n;
}

function parseJson(option: string, text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch (e) {
    throw new UsageError(`--${option} is not valid JSON: ${(e as Error).message}`);
  }
}

/** `arn:aws:sqs:<region>:<account>:<name>` → its AWS queue URL. */
function urlFromArn(arn: string | undefined): string | undefined {
  const f = arn?.split(":");
  return f && f.length === 6 ? `https://sqs.${f[3]}.amazonaws.com/${f[4]}/${f[5]}` : undefined;
}
