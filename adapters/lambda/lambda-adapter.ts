/**
 * Lambda-like functions for Task states: bare function ARNs (the result is the handler's
 * return value) and `arn:aws:states:::lambda:invoke[.waitForTaskToken]` (the result is
 * Lambda's Invoke response). Functions come from the project config and run in worker
 * threads (pool.ts); names the config does not have fall back to in-process functions
 * (`--functions`), and anything else is Lambda.ResourceNotFoundException. With `forward`
 * (`forward.lambda`), every invocation goes to Lambda's Invoke API instead (forwarded-invoke.ts).
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html
 */
import { randomBytes, randomUUID } from "node:crypto";
import { dirname } from "node:path";
import { BroadcastChannel } from "node:worker_threads";
import type { ResourceInfo } from "../../translators/dataflow/resource.js";
import type { Json } from "../../translators/json.js";
import type { TaskFunction, TaskFunctions } from "../../runtime/bus/task-functions.js";
import { exportName, functionConfig, modulePath, resolveHandler } from "../../runtime/config/load-config.js";
import type { FunctionConfig } from "../../runtime/config/project-config.js";
import { DEFAULT_ACCOUNT, type Account } from "../../runtime/engine/arns.js";
import { TaskError, type Adapter, type AdapterTask } from "../../runtime/ports/adapter.js";
import { notFound } from "./errors.js";
import { functionArn, parseFunctionName, type FunctionRef } from "./function-name.js";
import { invokeForwarded, invokeFunctionForwarded } from "./forwarded-invoke.js";
import { invokeOutput, localResponse } from "./invoke-output.js";
import { invokeParameters } from "./invoke-parameters.js";
import type { LambdaInvoker } from "./lambda-invoker.js";
import { DEFAULT_TIMEOUT_SECONDS, FunctionPool } from "./pool.js";
import type { ContextData, LogLine } from "./protocol.js";

/** Lambda's default MemorySize, reported when a function sets none (no heap limit then). */
const DEFAULT_MEMORY_MB = 128;

export interface FunctionLog extends LogLine {
  readonly functionName: string;
}

export interface LambdaAdapterOptions {
  /** Functions by name: a module path (`fn.mjs`, `fn.mjs#exportName`) or a full config. */
  readonly functions?: Readonly<Record<string, FunctionConfig | string>>;
  /** Where relative module paths start (the working directory unless given). */
  readonly baseDir?: string;
  /** Region and account of functions named without an ARN. */
  readonly account?: Account;
  /** In-process functions, for names `functions` does not have. */
  readonly local?: TaskFunctions;
  /** The clock of the Invoke response's Date header. */
  readonly now?: () => number;
  /** A function's console output (one call per line). */
  readonly onLog?: (log: FunctionLog) => void;
  /** Lambda's Invoke API to send every invocation to (`forward.lambda`); `functions` and `local` are not used then. */
  readonly forward?: LambdaInvoker;
}

/** Options for invoking a function directly (SNS subscriptions). */
export interface InvokeOptions {
  readonly signal?: AbortSignal;
  readonly clientContext?: Json;
}

export class LambdaAdapter implements Adapter {
  readonly name = "lambda";
  readonly resources = [
    "arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]",
    "arn:aws:states:::lambda:invoke",
    "arn:aws:states:::lambda:invoke.waitForTaskToken",
  ];
  private readonly account: Account;
  private readonly local: TaskFunctions;
  private readonly now: () => number;
  private readonly forward: LambdaInvoker | undefined;
  private readonly pools = new Map<string, FunctionPool>();
  private readonly channels: BroadcastChannel[] = [];
  /** InvocationType Event runs: not tied to a Task, stopped only by close(). */
  private readonly background = new Set<Promise<unknown>>();
  private readonly closing = new AbortController();

  constructor(options: LambdaAdapterOptions = {}) {
    this.account = options.account ?? DEFAULT_ACCOUNT;
    this.local = options.local ?? {};
    this.now = options.now ?? Date.now;
    this.forward = options.forward;
    const base = options.baseDir ?? process.cwd();
    for (const [name, entry] of Object.entries(options.functions ?? {})) {
      this.pools.set(name, this.pool(name, functionConfig(entry), base, options.onLog));
    }
  }

  handles(resource: ResourceInfo): boolean {
    if (resource.kind === "lambda-function") return true;
    return resource.kind === "service" && resource.resourceType === "lambda" && (resource.resource === "invoke" || resource.resource === "invoke.waitForTaskToken");
  }

  async run(task: AdapterTask): Promise<Json> {
    if (this.forward) return invokeForwarded(this.forward, task, this.account);
    const requestId = randomUUID();
    if (task.resource.kind === "lambda-function") {
      const target = parseFunctionName(task.resource.arn, this.account);
      if (!target) throw new TaskError("States.Runtime", `'${task.resource.arn}' is not a Lambda function ARN`);
      return this.call(target, task.payload, requestId, { signal: task.signal }, this.local[task.resource.arn], task);
    }
    const params = invokeParameters(task.payload, this.account, requestId);
    const name = (task.payload as { FunctionName: string }).FunctionName;
    const local = this.local[name];
    const extra: InvokeOptions = { signal: task.signal, ...(params.clientContext !== undefined ? { clientContext: params.clientContext } : {}) };
    if (params.type !== "RequestResponse") {
      if (!this.pools.has(params.target.name) && !local && !this.local[params.target.name]) throw notFound(functionArn(params.target), requestId);
      if (params.type === "Event") this.inBackground(this.call(params.target, params.event, requestId, { ...extra, signal: this.closing.signal }, local, task));
      return invokeOutput(localResponse({ type: params.type, requestId, at: this.now() }));
    }
    const payload = await this.call(params.target, params.event, requestId, extra, local, task);
    return invokeOutput(localResponse({ type: "RequestResponse", requestId, payload, at: this.now() }));
  }

  /** Invokes a function by name or ARN and resolves with its result; rejects with a TaskError as Step Functions would see it. */
  invoke(functionName: string, event: Json, options: InvokeOptions = {}): Promise<Json> {
    if (this.forward) return invokeFunctionForwarded(this.forward, functionName, event, this.account, options.clientContext, options.signal);
    const requestId = randomUUID();
    const target = parseFunctionName(functionName, this.account);
    if (!target) return Promise.reject(notFound(functionName, requestId));
    return this.call(target, event, requestId, options, this.local[functionName]);
  }

  /** The configured function names. */
  functionNames(): string[] {
    return [...this.pools.keys()];
  }

  async close(): Promise<void> {
    this.closing.abort();
    this.forward?.close();
    await Promise.all([...this.pools.values()].map((p) => p.close()));
    await Promise.allSettled([...this.background]);
    for (const c of this.channels) c.close();
  }

  private call(target: FunctionRef, event: Json, requestId: string, options: InvokeOptions, exact?: TaskFunction, task?: AdapterTask): Promise<Json> {
    const pool = this.pools.get(target.name);
    if (pool) return pool.invoke(event, this.contextData(target, requestId, pool, options.clientContext), options.signal);
    const fn = exact ?? this.local[target.name];
    if (fn) return callLocal(fn, event, task);
    return Promise.reject(notFound(functionArn(target), requestId));
  }

  private contextData(target: FunctionRef, requestId: string, pool: FunctionPool, clientContext: Json | undefined): Omit<ContextData, "deadlineMs"> {
    const day = new Date(this.now()).toISOString().slice(0, 10).replace(/-/g, "/");
    return {
      functionName: target.name,
      functionVersion: "$LATEST",
      invokedFunctionArn: functionArn(target),
      memoryLimitInMB: String(pool.spec.memoryMb ?? DEFAULT_MEMORY_MB),
      awsRequestId: requestId,
      logGroupName: `/aws/lambda/${target.name}`,
      logStreamName: `${day}/[$LATEST]${randomBytes(16).toString("hex")}`,
      ...(clientContext !== undefined ? { clientContext } : {}),
    };
  }

  private pool(name: string, fn: FunctionConfig, base: string, onLog: LambdaAdapterOptions["onLog"]): FunctionPool {
    const handler = resolveHandler(base, fn.handler);
    const memory = fn.memoryMb ?? DEFAULT_MEMORY_MB;
    const logChannel = `aslan-lambda-${randomUUID()}`;
    if (onLog) {
      const channel = new BroadcastChannel(logChannel);
      (channel as unknown as { unref(): void }).unref();
      channel.onmessage = (e) => onLog({ ...((e as MessageEvent).data as LogLine), functionName: name });
      this.channels.push(channel);
    }
    return new FunctionPool({
      module: modulePath(handler),
      exportName: exportName(handler),
      timeoutSeconds: fn.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
      ...(fn.memoryMb !== undefined ? { memoryMb: fn.memoryMb } : {}),
      ...(fn.concurrency !== undefined ? { concurrency: fn.concurrency } : {}),
      logChannel,
      env: {
        ...(process.env as Record<string, string>),
        ...fn.environment,
        // Lambda's reserved variables win over the function's own.
        AWS_LAMBDA_FUNCTION_NAME: name,
        AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memory),
        AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${name}`,
        AWS_REGION: this.account.region,
        AWS_DEFAULT_REGION: this.account.region,
        LAMBDA_TASK_ROOT: dirname(modulePath(handler)),
      },
    });
  }

  private inBackground(run: Promise<unknown>): void {
    const settled = run.catch(() => undefined).finally(() => this.background.delete(settled));
    this.background.add(settled);
  }
}

/** An in-process function, as `--functions` always ran them: its error's name and message are the error and cause. */
async function callLocal(fn: TaskFunction, event: Json, task: AdapterTask | undefined): Promise<Json> {
  const context = task
    ? { resource: task.resource.arn, stateName: task.stateName, executionArn: task.executionArn, ...(task.taskToken ? { taskToken: task.taskToken } : {}) }
    : { resource: "", stateName: "", executionArn: "" };
  try {
    const out = await fn(event, context);
    return out === undefined ? null : out;
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    throw new TaskError(err.name || "Error", err.message);
  }
}
