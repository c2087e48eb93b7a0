/**
 * One function's worker threads (piscina): one invocation per thread at a time, modules kept
 * loaded between invocations (warm), a per-invoke timeout, a heap limit per thread
 * (`memoryMb`), and cancellation. A timeout, a cancellation, `process.exit` or running out of
 * memory ends that thread only; the next invocation gets a fresh one (a cold start).
 */
import { Piscina } from "piscina";
import type { Json } from "../../translators/json.js";
import { TaskError } from "../../runtime/ports/adapter.js";
import { cancelled, exited, functionError, outOfMemory, serviceException, timedOut } from "./errors.js";
import type { ContextData, InvokeRequest, InvokeResponse } from "./protocol.js";
import { workerFile } from "./worker-file.js";

/** Lambda's default timeout. */
export const DEFAULT_TIMEOUT_SECONDS = 3;
/** How long an idle thread stays warm. */
const IDLE_MS = 60_000;

export interface PoolSpec {
  /** Absolute module path. */
  readonly module: string;
  readonly exportName: string;
  readonly timeoutSeconds: number;
  readonly memoryMb?: number;
  readonly concurrency?: number;
  /** The whole environment of its threads. */
  readonly env: Readonly<Record<string, string>>;
  /** BroadcastChannel name for console output. */
  readonly logChannel: string;
}

const TIMEOUT = Symbol("timeout");

export class FunctionPool {
  private pool: Promise<Piscina> | undefined;
  private closed = false;

  constructor(readonly spec: PoolSpec) {}

  /** Runs the handler once; resolves with its result, rejects with a TaskError as Lambda reports the failure. */
  async invoke(event: Json, fields: Omit<ContextData, "deadlineMs">, signal?: AbortSignal): Promise<Json> {
    if (this.closed) throw serviceException("ServiceException", 500, "The function's worker pool is closed", fields.awsRequestId);
    const pool = await (this.pool ??= this.start());
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(TIMEOUT), this.spec.timeoutSeconds * 1000);
    const context: ContextData = { ...fields, deadlineMs: Date.now() + this.spec.timeoutSeconds * 1000 };
    const cancel = (): void => abort.abort(signal?.reason);
    signal?.addEventListener("abort", cancel, { once: true });
    const request: InvokeRequest = { module: this.spec.module, exportName: this.spec.exportName, event, context, logChannel: this.spec.logChannel };
    try {
      const response = (await pool.run(request, { signal: abort.signal })) as InvokeResponse;
      if (!response.ok) throw functionError(response.error);
      return JSON.parse(response.payload) as Json;
    } catch (e) {
      if (e instanceof TaskError) throw e;
      throw this.failure(e, abort.signal, context.awsRequestId);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", cancel);
    }
  }

  /** Ends every thread (running invocations fail). */
  async close(): Promise<void> {
    this.closed = true;
    const pool = this.pool;
    this.pool = undefined;
    if (pool) await (await pool).destroy();
  }

  private async start(): Promise<Piscina> {
    return new Piscina({
      filename: await workerFile(),
      minThreads: 0,
      ...(this.spec.concurrency !== undefined ? { maxThreads: this.spec.concurrency } : {}),
      idleTimeout: IDLE_MS,
      env: { ...this.spec.env },
      ...(this.spec.memoryMb !== undefined ? { resourceLimits: { maxOldGenerationSizeMb: this.spec.memoryMb } } : {}),
    });
  }

  /** What a thread's end means, in Lambda's words. */
  private failure(e: unknown, abort: AbortSignal, requestId: string): TaskError {
    const err = e instanceof Error ? e : new Error(String(e));
    if (abort.aborted && abort.reason === TIMEOUT) return timedOut(requestId, this.spec.timeoutSeconds);
    if (abort.aborted) return cancelled();
    if ((err as NodeJS.ErrnoException).code === "ERR_WORKER_OUT_OF_MEMORY") return outOfMemory(requestId);
    const exit = /^worker exited with code: (-?\d+)/.exec(err.message);
    if (exit) return exited(requestId, Number(exit[1]));
    if (/Terminating worker thread|pool is closed|Task queue is at limit/i.test(err.message)) {
      return serviceException("ServiceException", 500, err.message, requestId);
    }
    // An exception the function left uncaught (a throw in a timer): Lambda's runtime reports it as the function's error.
    return functionError({ errorType: err.name, errorMessage: err.message, trace: (err.stack ?? "").split("\n") });
  }
}
