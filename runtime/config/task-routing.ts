/**
 * Where the `aslan` command (and `createEngine({ adapters })`) sends tasks: to the adapter
 * that runs the resource, else to in-process functions (`--functions`). Adapters are
 * attached once the engine exists, since some need it (nested executions, callbacks).
 */
import { parseResource } from "../../translators/dataflow/resource.js";
import { AdapterTaskBus } from "../bus/adapter-task-bus.js";
import { FUNCTIONS_ADAPTER } from "../bus/functions-adapter.js";
import { InProcessTaskBus } from "../bus/in-process-task-bus.js";
import type { TaskFunctions } from "../bus/task-functions.js";
import type { Adapter } from "../ports/adapter.js";
import type { TaskBus, TaskReply, TaskRequest } from "../ports/task-bus.js";
import type { ResourceSupport } from "./resource-check.js";

const ACTIVITIES = "arn:aws:states:<region>:<account>:activity:<name> (activities)";

/**
 * Distributed mode: tasks of the named adapters go to their workers over `bus` (the node
 * still builds every adapter, to know which resource is whose); the others run here.
 */
export interface RemoteAdapters {
  isRemote(adapterName: string): boolean;
  /** Sends the task to the workers of `adapterName`; their answers come back as data (Engine.applyAnswer). */
  dispatchTo(adapterName: string, task: TaskRequest): void;
}

export class AdapterRouting implements TaskBus, ResourceSupport {
  private adapters: readonly Adapter[] = [];
  private bus: AdapterTaskBus | undefined;
  private readonly local: InProcessTaskBus;

  constructor(
    private readonly functions: TaskFunctions = {},
    private readonly remote?: RemoteAdapters,
  ) {
    this.local = new InProcessTaskBus(functions);
  }

  /** The name of the adapter that runs a resource (the worker queue its tasks go to). */
  adapterOf(resource: string): string | undefined {
    const info = parseResource(resource);
    return this.adapters.find((a) => a.handles(info))?.name;
  }

  /** From now on, tasks whose resource an adapter runs go to it. */
  attach(adapters: readonly Adapter[]): void {
    this.adapters = adapters;
    this.bus = new AdapterTaskBus(adapters, this.local);
  }

  dispatch(task: TaskRequest, reply: TaskReply): void {
    const remote = this.remote;
    if (remote) {
      // A function of this process: every node has it, and its task goes over the queue too (functions-adapter.ts).
      const name = this.adapterOf(task.resource) ?? (this.local.runs(task) ? FUNCTIONS_ADAPTER : undefined);
      if (name !== undefined && remote.isRemote(name)) return remote.dispatchTo(name, task);
    }
    (this.bus ?? this.local).dispatch(task, reply);
  }

  busy(): boolean {
    return this.bus?.busy() ?? false;
  }

  canRun(resource: string): boolean {
    const info = parseResource(resource);
    if (info.kind === "activity" || this.functions[resource]) return true;
    if (this.adapters.some((a) => a.handles(info))) return true;
    const lambda = info.kind === "lambda-function" || (info.resourceType === "lambda" && info.resource.startsWith("invoke"));
    return lambda && Object.keys(this.functions).length > 0;
  }

  supported(): readonly string[] {
    const names = Object.keys(this.functions);
    const local = names.length === 0 ? [] : [
      ...names.filter((n) => n.startsWith("arn:")),
      `arn:aws:lambda:<region>:<account>:function:<name> and arn:aws:states:::lambda:invoke for the local functions (${names.filter((n) => !n.startsWith("arn:")).join(", ")})`,
    ];
    return [...this.adapters.flatMap((a) => a.resources), ...local, ACTIVITIES];
  }

  /** Stops running adapter work and closes the adapters (worker pools, connections). */
  async close(): Promise<void> {
    await this.bus?.close();
  }
}
