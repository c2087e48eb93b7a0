/**
 * What the examples' tests share: an example's files, its project (the engine `aslan run
 * --config` builds, with the adapters kept at hand), the queues and tables behind it, and
 * what an execution's history says (the path it took).
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { pino } from "pino";
import { buildAdapters } from "../../adapters/index.js";
import { queueStoreOf, type QueueStore } from "../../adapters/sqs/index.js";
import type { Engine, ExecutionResult, Json, JsonObject } from "../../index.js";
import { loadProjectConfig, type LoadedConfig } from "../../runtime/config/load-config.js";
import type { ProjectConfig } from "../../runtime/config/project-config.js";
import { projectEngine } from "../../runtime/config/project-engine.js";
import type { Adapter } from "../../runtime/ports/adapter.js";
import { parseResource } from "../../translators/dataflow/resource.js";
import type { HistoryEvent } from "../../translators/xstate/actor-data.js";

/** One example folder: its files by name, JSON parsed. */
export interface Example {
  readonly dir: string;
  text(file: string): string;
  json<T = Json>(file: string): T;
}

export function example(importMetaUrl: string): Example {
  const dir = dirname(new URL(importMetaUrl).pathname);
  const text = (file: string): string => readFileSync(join(dir, file), "utf8");
  return { dir, text, json: <T = Json>(file: string): T => JSON.parse(text(file)) as T };
}

export interface Project {
  readonly engine: Engine;
  /** The adapters the config built, by name (`sqs`, `sns`, `dynamodb`, `lambda`). */
  adapter(name: string): Adapter;
  /** Runs `definition` (object or JSON text) once and waits for the end. */
  run(definition: unknown, input: Json): Promise<ExecutionResult>;
  /** What functions printed (console.log in a handler), as `<function>: <line>`. */
  readonly logs: string[];
  /** Resolves once SNS deliveries to functions have finished. */
  deliveries(): Promise<void>;
  /** Everything waiting in a queue (received and deleted). */
  drain(queue: string): Promise<string[]>;
  /** One DynamoDB item by key, through the adapter's getItem (undefined when absent). */
  item(table: string, key: JsonObject): Promise<JsonObject | undefined>;
  close(): Promise<void>;
}

export interface ProjectOptions {
  readonly virtualTime?: boolean;
  /** Changes to the loaded config (a test-only function in place of one). */
  readonly change?: (config: ProjectConfig) => ProjectConfig;
}

let machines = 0;

/** The engine and adapters `aslan run --config <configPath>` would build. */
export async function openProject(configPath: string, options: ProjectOptions = {}): Promise<Project> {
  const loaded = await loadProjectConfig({ path: configPath, cwd: dirname(configPath) });
  if (!loaded) throw new Error(`no config at ${configPath}`);
  const config: LoadedConfig = options.change ? { ...loaded, config: options.change(loaded.config) } : loaded;
  let built: readonly Adapter[] = [];
  const logs: string[] = [];
  const log = pino({ level: "info" }, {
    write: (line: string) => {
      const l = JSON.parse(line) as { function?: string; msg: string };
      if (l.function) logs.push(`${l.function}: ${l.msg}`);
    },
  });
  const { engine, closeAdapters } = projectEngine({
    virtualTime: options.virtualTime ?? false,
    project: { build: (c, host) => (built = buildAdapters(c, host)), config, cwd: config.dir, log },
  });
  const adapter = (name: string): Adapter => {
    const found = built.find((a) => a.name === name);
    if (!found) throw new Error(`the config builds no '${name}' adapter`);
    return found;
  };
  const queues = (): QueueStore => {
    const store = queueStoreOf(adapter("sqs"));
    if (!store) throw new Error("no queue store");
    return store;
  };
  return {
    engine,
    adapter,
    logs,
    deliveries: async () => {
      const sns = built.find((a) => a.name === "sns") as { deliveriesSettled?: () => Promise<void> } | undefined;
      await sns?.deliveriesSettled?.();
    },
    run: (definition, input) => engine.result(engine.startExecution(engine.createStateMachine(`example-${++machines}`, definition), input)),
    drain: async (queue) => {
      const bodies: string[] = [];
      for (;;) {
        const got = await queues().receiveMessages(queue, { maxMessages: 10 });
        if (got.length === 0) return bodies;
        for (const m of got) {
          bodies.push(m.Body);
          await queues().deleteMessage(queue, m.ReceiptHandle);
        }
      }
    },
    item: async (table, key) => {
      const out = (await adapter("dynamodb").run({
        taskId: `get-${++machines}`,
        resource: parseResource("arn:aws:states:::dynamodb:getItem"),
        payload: { TableName: table, Key: key, ConsistentRead: true },
        stateName: "",
        executionArn: "",
        signal: new AbortController().signal,
        heartbeat: () => undefined,
      })) as JsonObject;
      return out["Item"] as JsonObject | undefined;
    },
    close: async () => {
      engine.close();
      await closeAdapters();
    },
  };
}

/** The message an SNS notification in an SQS queue carries (its JSON envelope unwrapped). */
export const snsMessage = (body: string): string => (JSON.parse(body) as { Message: string }).Message;

/** The names of the states entered, in order (the path the execution took). */
export const statesEntered = (history: readonly HistoryEvent[]): string[] =>
  history.filter((e) => e.type.endsWith("StateEntered")).map((e) => (e["stateEnteredEventDetails"] as { name: string }).name);

/** The history's event types, in order. */
export const eventTypes = (history: readonly HistoryEvent[]): string[] => history.map((e) => e.type);

/** Values that differ on every run (ids, request ids, dates) replaced by `<uuid>` and `<date>`, as the expected outputs write them. */
export function stable(value: unknown): unknown {
  const text = JSON.stringify(value)
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<uuid>")
    .replace(/[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT/g, "<date>");
  return JSON.parse(text) as unknown;
}

/** Reads until `ok` holds (or `ms` pass, returning the last read): for effects that land a little after an execution moves on (SNS deliveries to functions, function logs). */
export async function eventually<T>(read: () => T | Promise<T>, ok: (v: T) => boolean, ms = 3000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
}
