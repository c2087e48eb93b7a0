/**
 * Event-driven starts (the config's `triggers`): each message on a trigger's subject starts
 * an execution of its state machine with the message as input (an empty message is no input,
 * `{}`). The execution's name is the message's `Nats-Msg-Id` header when it has one, so a
 * message sent again starts nothing new (StartExecution's idempotency), else a UUID. Servers
 * subscribe in a queue group: among several, one starts each execution. A request (a message
 * with a reply subject) is answered with StartExecution's answer or the reason it failed.
 */
import type { Logger } from "pino";
import type { TriggerConfig } from "../config/project-config.js";
import type { BusSubscription, MessageBus, MessageHeaders, ReceivedMessage } from "../ports/message-bus.js";

/** The queue group servers share unless a trigger names its own. */
export const DEFAULT_TRIGGER_QUEUE = "aslan";

/** The header whose value names the execution (the header JetStream dedupes publishes by). */
export const MESSAGE_ID_HEADER = "Nats-Msg-Id";

/** StartExecution for a trigger: the state machine as the config names it, the input as JSON text. */
export type TriggerStart = (request: { readonly stateMachine: string; readonly input?: string; readonly name?: string }) => Promise<{ readonly executionArn: string; readonly startDate: number }>;

/** A start refused with an API error (`StateMachineDoesNotExist`, `InvalidExecutionInput`, …). */
export class TriggerRefused extends Error {
  override readonly name = "TriggerRefused";
  constructor(
    readonly error: string,
    override readonly cause: string,
  ) {
    super(`${error}: ${cause}`);
  }
}

export class SubjectTriggers {
  private readonly subscriptions: BusSubscription[];

  /** Subscribes every trigger at once. */
  constructor(
    bus: MessageBus,
    triggers: readonly TriggerConfig[],
    private readonly start: TriggerStart,
    private readonly log: Logger,
  ) {
    this.subscriptions = triggers.map((t) => bus.subscribe(t.subject, { queue: t.queue ?? DEFAULT_TRIGGER_QUEUE }, (m) => this.handle(t, m)));
  }

  /** Stops taking messages and waits for the starts under way. */
  async close(): Promise<void> {
    await Promise.all(this.subscriptions.map((s) => s.close()));
  }

  private async handle(trigger: TriggerConfig, message: ReceivedMessage): Promise<void> {
    const text = new TextDecoder().decode(message.data);
    const name = headerValue(message.headers, MESSAGE_ID_HEADER);
    const where = { subject: message.subject, stateMachine: trigger.stateMachine, ...(name !== undefined ? { name } : {}) };
    try {
      const started = await this.start({ stateMachine: trigger.stateMachine, ...(text.trim() !== "" ? { input: text } : {}), ...(name !== undefined ? { name } : {}) });
      this.log.info({ ...where, executionArn: started.executionArn }, "execution started by a message");
      answer(message, { executionArn: started.executionArn, startDate: started.startDate });
    } catch (e) {
      const refused = e instanceof TriggerRefused ? e : new TriggerRefused("InternalFailure", e instanceof Error ? e.message : String(e));
      this.log.error({ ...where, error: refused.error, cause: refused.cause }, `a message on ${message.subject} started no execution: ${refused.message}`);
      answer(message, { error: refused.error, cause: refused.cause });
    }
  }
}

function answer(message: ReceivedMessage, body: Record<string, unknown>): void {
  message.reply?.(new TextEncoder().encode(JSON.stringify(body)));
}

function headerValue(headers: MessageHeaders, name: string): string | undefined {
  const lower = name.toLowerCase();
  const key = Object.keys(headers).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : headers[key];
}
