/**
 * The config's triggers under `aslan serve`: on the config's `nats.servers`, else on the
 * runtime node's own connection (`--nats`). A config with triggers and neither is refused
 * at start, as its problem is the config's.
 */
import type { Logger } from "pino";
import type { ApiContext } from "../api/context.js";
import { ConfigError } from "../config/load-config.js";
import type { ProjectConfig } from "../config/project-config.js";
import type { JetStreamLink } from "../nats/jetstream-connection.js";
import { NatsMessageBus } from "../nats/jetstream-message-bus.js";
import type { MessageBus } from "../ports/message-bus.js";
import { apiTriggerStart } from "./api-trigger-start.js";
import { SubjectTriggers } from "./subject-triggers.js";

export interface RunningTriggers {
  /** Stops taking messages, waits for the starts under way, closes its own connection. */
  close(): Promise<void>;
}

/** Throws before anything starts when the config has triggers and nothing to take them from. */
export function checkTriggerSource(config: ProjectConfig | undefined, onNatsNode: boolean): void {
  if ((config?.triggers?.length ?? 0) > 0 && !config?.nats && !onNatsNode) {
    throw new ConfigError("the config's triggers need NATS: add nats: { servers: \"nats://…\" } to the config, or run aslan serve --nats <url>");
  }
}

/** Subscribes the config's triggers; undefined when it has none. */
export async function startTriggers(config: ProjectConfig | undefined, ctx: ApiContext, nodeLink: JetStreamLink | undefined, log: Logger): Promise<RunningTriggers | undefined> {
  const triggers = config?.triggers ?? [];
  if (triggers.length === 0) return undefined;
  checkTriggerSource(config, nodeLink !== undefined);
  const onError = (err: unknown, what: string): void => log.error({ err }, `triggers: ${what}`);
  const bus: MessageBus = config?.nats
    ? await NatsMessageBus.connect({ servers: config.nats.servers, name: "aslan-triggers", onError })
    : NatsMessageBus.on(nodeLink as JetStreamLink, onError);
  const running = new SubjectTriggers(bus, triggers, apiTriggerStart(ctx), log);
  // Once the server has the subscriptions, a message sent after the log line below is taken.
  await bus.flush();
  log.info({ triggers: triggers.map((t) => ({ subject: t.subject, stateMachine: t.stateMachine })) }, "listening for trigger messages");
  return {
    close: async () => {
      await running.close();
      await bus.close();
    },
  };
}
