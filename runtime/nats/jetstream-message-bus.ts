/**
 * The MessageBus port on a core NATS connection (no JetStream involved: the file is named
 * jetstream-* because only those files may import the NATS client). Either it opens its own
 * connection (`NatsMessageBus.connect`, from the config's `nats` section) or it borrows a
 * runtime node's (`NatsMessageBus.on`), which it then leaves open when it closes.
 */
import { connect, headers as natsHeaders, RequestError, TimeoutError, type Msg, type MsgHdrs, type NatsConnection, type Subscription } from "@nats-io/transport-node";
import { MessageBusError, type BusSubscription, type MessageBus, type MessageHeaders, type ReceivedMessage, type Reply } from "../ports/message-bus.js";
import type { JetStreamLink } from "./jetstream-connection.js";

export interface MessageBusConnectOptions {
  /** e.g. `nats://127.0.0.1:4222` (comma-separated for several). */
  readonly servers: string;
  /** Shown in the server's connection list. */
  readonly name?: string;
  /** Where errors of handlers and subscriptions go (they reach no caller). */
  readonly onError?: (error: unknown, what: string) => void;
}

export class NatsMessageBus implements MessageBus {
  private readonly subscriptions = new Set<BusSubscription>();

  private constructor(
    private readonly nc: NatsConnection,
    private readonly owned: boolean,
    private readonly onError: (error: unknown, what: string) => void,
  ) {}

  /**
   * Opens a connection of its own. The first attempt fails at once when no server answers (a
   * wrong URL should be said, not waited on); once connected it reconnects forever.
   */
  static async connect(options: MessageBusConnectOptions): Promise<NatsMessageBus> {
    let nc: NatsConnection;
    try {
      nc = await connect({ servers: options.servers.split(",").map((s) => s.trim()), name: options.name ?? "aslan", maxReconnectAttempts: -1, reconnectTimeWait: 250, timeout: 5_000 });
    } catch (error) {
      throw new MessageBusError("Connection", `cannot connect to NATS at ${options.servers}: ${(error as Error).message}`);
    }
    return new NatsMessageBus(nc, true, options.onError ?? (() => undefined));
  }

  /** On a runtime node's connection (`aslan serve --nats`), left open by close(). */
  static on(link: JetStreamLink, onError: (error: unknown, what: string) => void = () => undefined): NatsMessageBus {
    return new NatsMessageBus(link.nc, false, onError);
  }

  async request(subject: string, data: Uint8Array, options: { readonly timeoutMs: number; readonly headers?: MessageHeaders; readonly signal?: AbortSignal }): Promise<Reply> {
    const { signal } = options;
    if (signal?.aborted) throw aborted(subject);
    const sent = this.nc.request(subject, data, { timeout: options.timeoutMs, ...(options.headers ? { headers: toNats(options.headers) } : {}) });
    // The client's request has no cancel: an abort stops the wait, and its own timer ends the request.
    let onAbort: (() => void) | undefined;
    const abort = new Promise<never>((_, reject) => signal?.addEventListener("abort", (onAbort = () => reject(aborted(subject))), { once: true }));
    sent.catch(() => undefined);
    abort.catch(() => undefined);
    try {
      const msg = await Promise.race([sent, abort]);
      return { data: msg.data, headers: fromNats(msg.headers) };
    } catch (error) {
      throw requestFailure(error, subject, options.timeoutMs);
    } finally {
      if (onAbort) signal?.removeEventListener("abort", onAbort);
    }
  }

  async publish(subject: string, data: Uint8Array, options: { readonly headers?: MessageHeaders } = {}): Promise<void> {
    try {
      this.nc.publish(subject, data, options.headers ? { headers: toNats(options.headers) } : {});
      await this.nc.flush();
    } catch (error) {
      throw busFailure(error);
    }
  }

  subscribe(subject: string, options: { readonly queue?: string }, handler: (message: ReceivedMessage) => Promise<void>): BusSubscription {
    const running = new Set<Promise<void>>();
    const sub: Subscription = this.nc.subscribe(subject, {
      ...(options.queue !== undefined ? { queue: options.queue } : {}),
      callback: (err, msg) => {
        if (err) return this.onError(err, `subscription to ${subject}`);
        const handled = handler(received(msg)).catch((e: unknown) => this.onError(e, `message on ${msg.subject}`));
        running.add(handled);
        void handled.finally(() => running.delete(handled));
      },
    });
    const subscription: BusSubscription = {
      close: async () => {
        this.subscriptions.delete(subscription);
        if (!sub.isClosed()) await sub.drain().catch((e: unknown) => this.onError(e, `closing the subscription to ${subject}`));
        await Promise.all(running);
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  async flush(): Promise<void> {
    await this.nc.flush().catch((error: unknown) => Promise.reject(busFailure(error)));
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    if (this.owned) await this.nc.drain().catch(() => this.nc.close());
  }
}

function received(msg: Msg): ReceivedMessage {
  const base = { subject: msg.subject, data: msg.data, headers: fromNats(msg.headers) };
  if (!msg.reply) return base;
  return { ...base, reply: (data, headers) => void msg.respond(data, headers ? { headers: toNats(headers) } : {}) };
}

function toNats(headers: MessageHeaders): MsgHdrs {
  const h = natsHeaders();
  for (const [name, value] of Object.entries(headers)) h.set(name, value);
  return h;
}

function fromNats(h: MsgHdrs | undefined): MessageHeaders {
  const out: Record<string, string> = {};
  if (!h) return out;
  for (const [name, values] of h) out[name] = values.join(",");
  return out;
}

const aborted = (subject: string): MessageBusError => new MessageBusError("Aborted", `the request to '${subject}' stopped waiting for its reply`);

function requestFailure(error: unknown, subject: string, timeoutMs: number): Error {
  if (error instanceof MessageBusError) return error;
  if (error instanceof TimeoutError) return new MessageBusError("Timeout", `no reply on '${subject}' within ${timeoutMs / 1000} s`);
  if (error instanceof RequestError && error.isNoResponders()) return new MessageBusError("NoResponders", `no responders on subject '${subject}'`);
  return busFailure(error);
}

/** A closed or draining connection is a Connection failure; anything else stays as the client said it. */
function busFailure(error: unknown): Error {
  const e = error instanceof Error ? error : new Error(String(error));
  return /closed|draining|disconnect/i.test(`${e.name} ${e.message}`) ? new MessageBusError("Connection", e.message) : e;
}
