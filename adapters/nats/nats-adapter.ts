/**
 * The `nats` adapter: Task states that talk to services already on NATS, with no adapter code
 * of theirs. Aslan's own resource ARNs (there is no AWS integration for NATS):
 * - `arn:aws:states:::nats:request`: sends the Payload to Subject and waits for one reply;
 *   the result is `{ Payload, Headers }`. Errors: `Nats.NoResponders` (nobody listens),
 *   `Nats.Timeout` (no reply within TimeoutSeconds), `Nats.ServiceError` (the responder set
 *   the NATS micro services error headers; the message is the Cause), `Nats.ConnectionError`.
 * - `arn:aws:states:::nats:publish`: sends the Payload to Subject once the server has it; the
 *   result is `{ Subject }`.
 */
import { TaskError, type Adapter, type AdapterTask } from "../../runtime/ports/adapter.js";
import { MessageBusError, type MessageBus } from "../../runtime/ports/message-bus.js";
import type { ResourceInfo } from "../../translators/dataflow/resource.js";
import type { Json } from "../../translators/json.js";
import { replyResult } from "./nats-reply.js";
import { readNatsTask, type NatsAction } from "./nats-task.js";

export const NATS_RESOURCES = ["arn:aws:states:::nats:request", "arn:aws:states:::nats:publish"] as const;

export interface NatsAdapterOptions {
  /** A bus to use (left open by close()), or how to open one on the first task (closed by close()). */
  readonly bus: MessageBus | (() => Promise<MessageBus>);
}

const ACTIONS: ReadonlySet<string> = new Set<NatsAction>(["request", "publish"]);

export class NatsAdapter implements Adapter {
  readonly name = "nats";
  readonly resources = NATS_RESOURCES;
  private readonly open: (() => Promise<MessageBus>) | undefined;
  private bus: Promise<MessageBus> | undefined;

  constructor(options: NatsAdapterOptions) {
    if (typeof options.bus === "function") this.open = options.bus;
    else this.bus = Promise.resolve(options.bus);
  }

  handles(resource: ResourceInfo): boolean {
    return resource.kind === "service" && resource.resourceType === "nats" && ACTIONS.has(resource.resource);
  }

  async run(task: AdapterTask): Promise<Json> {
    const action = task.resource.resource as NatsAction;
    const { subject, data, headers, timeoutMs } = readNatsTask(action, task.payload);
    const bus = await this.connected();
    try {
      if (action === "publish") {
        await bus.publish(subject, data, headers ? { headers } : {});
        return { Subject: subject };
      }
      return replyResult(await bus.request(subject, data, { timeoutMs, signal: task.signal, ...(headers ? { headers } : {}) }));
    } catch (e) {
      throw e instanceof MessageBusError ? taskError(e) : e;
    }
  }

  async close(): Promise<void> {
    const bus = this.open ? await this.bus?.catch(() => undefined) : undefined;
    this.bus = undefined;
    await bus?.close();
  }

  /** The bus, opened on first use; a failed attempt is forgotten so that the next task tries again. */
  private async connected(): Promise<MessageBus> {
    if (!this.bus && this.open) this.bus = this.open();
    try {
      return await (this.bus as Promise<MessageBus>);
    } catch (e) {
      this.bus = undefined;
      throw e instanceof MessageBusError ? taskError(e) : new TaskError("Nats.ConnectionError", (e as Error).message);
    }
  }
}

function taskError(e: MessageBusError): TaskError {
  switch (e.failure) {
    case "NoResponders":
      return new TaskError("Nats.NoResponders", e.message);
    case "Timeout":
      return new TaskError("Nats.Timeout", e.message);
    case "Connection":
      return new TaskError("Nats.ConnectionError", e.message);
    case "Aborted":
      // The Task no longer waits (timed out or stopped): what it fails with here is not used.
      return new TaskError("States.TaskFailed", e.message);
  }
}
