/**
 * A TaskBus that hands each task to the adapter that runs its resource, and stops the
 * adapter's work (its AbortSignal) when the Task no longer waits for it.
 */
import { parseResource } from "../../translators/dataflow/resource.js";
import type { Json } from "../../translators/json.js";
import { TaskError, type Adapter } from "../ports/adapter.js";
import type { TaskBus, TaskReply, TaskRequest } from "../ports/task-bus.js";

/** How often running tasks are checked for having closed (timeouts, stops). */
const CLOSED_CHECK_MS = 250;

export class AdapterTaskBus implements TaskBus {
  private readonly running = new Map<AbortController, TaskReply>();
  /** Tasks whose adapter `run` has not settled (for a callback task: until its message is sent). */
  private working = 0;
  private check: NodeJS.Timeout | undefined;

  constructor(
    private readonly adapters: readonly Adapter[],
    /** Where resources no adapter runs go (local functions, activities); absent: they fail. */
    private readonly fallback?: TaskBus,
  ) {}

  /** The adapter for a resource ARN, if any. */
  adapterFor(resource: string): Adapter | undefined {
    const info = parseResource(resource);
    return this.adapters.find((a) => a.handles(info));
  }

  /** Every resource pattern the adapters run (for "unsupported resource" messages). */
  supported(): string[] {
    return this.adapters.flatMap((a) => a.resources);
  }

  dispatch(task: TaskRequest, reply: TaskReply): void {
    const info = parseResource(task.resource);
    const adapter = this.adapters.find((a) => a.handles(info));
    if (!adapter) {
      if (this.fallback) return this.fallback.dispatch(task, reply);
      return reply.failed("States.Runtime", `No adapter runs resource '${task.resource}'. Supported: ${this.supported().join(", ")}`);
    }
    const abort = new AbortController();
    this.track(abort, reply);
    reply.started();
    this.working++;
    const settle = (): void => {
      this.running.delete(abort);
      this.working--;
    };
    Promise.resolve()
      .then(() =>
        adapter.run({
          taskId: task.taskId, resource: info, payload: task.payload, stateName: task.stateName, executionArn: task.executionArn,
          ...(task.taskToken !== undefined ? { taskToken: task.taskToken } : {}),
          ...(task.timeoutSeconds !== undefined ? { timeoutSeconds: task.timeoutSeconds } : {}),
          ...(task.heartbeatSeconds !== undefined ? { heartbeatSeconds: task.heartbeatSeconds } : {}),
          signal: abort.signal,
          heartbeat: () => reply.heartbeat(),
          submitted: (output) => reply.submitted?.(output),
        }),
      )
      .then(
        (output: Json) => {
          settle();
          reply.succeeded(output);
        },
        (e: unknown) => {
          settle();
          if (e instanceof TaskError) reply.failed(e.error, e.cause);
          else reply.failed("States.TaskFailed", e instanceof Error ? e.message : String(e));
        },
      );
  }

  /** True while an adapter's `run` is in progress: it settles on its own, so virtual time waits for it. */
  busy(): boolean {
    return this.working > 0;
  }

  async close(): Promise<void> {
    clearInterval(this.check);
    for (const abort of this.running.keys()) abort.abort();
    this.running.clear();
    await Promise.all(this.adapters.map((a) => a.close?.()));
  }

  private track(abort: AbortController, reply: TaskReply): void {
    this.running.set(abort, reply);
    if (this.check) return;
    this.check = setInterval(() => {
      for (const [a, r] of this.running) {
        if (!r.isOpen()) {
          a.abort();
          this.running.delete(a);
        }
      }
      if (this.running.size === 0) {
        clearInterval(this.check);
        this.check = undefined;
      }
    }, CLOSED_CHECK_MS);
    this.check.unref();
  }
}
