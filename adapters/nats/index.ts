/** The `nats` adapter: `nats:request` and `nats:publish` Tasks on the config's `nats.servers`. */
import type { Logger } from "pino";
import type { ProjectConfig } from "../../runtime/config/project-config.js";
import { NatsMessageBus } from "../../runtime/nats/jetstream-message-bus.js";
import { NatsAdapter } from "./nats-adapter.js";

export { NatsAdapter, NATS_RESOURCES, type NatsAdapterOptions } from "./nats-adapter.js";
export { DEFAULT_REQUEST_TIMEOUT_SECONDS } from "./nats-task.js";
export { SERVICE_ERROR, SERVICE_ERROR_CODE } from "./nats-reply.js";

/** The NATS adapter when the config has a `nats` section; it connects on its first task. */
export function createNatsAdapter(config: ProjectConfig, deps: { readonly log?: Logger } = {}): NatsAdapter | undefined {
  const nats = config.nats;
  if (!nats) return undefined;
  const onError = (err: unknown, what: string): void => deps.log?.error({ err }, `nats adapter: ${what}`);
  return new NatsAdapter({ bus: () => NatsMessageBus.connect({ servers: nats.servers, name: "aslan-nats-tasks", onError }) });
}
