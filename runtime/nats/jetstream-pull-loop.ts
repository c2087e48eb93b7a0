/**
 * Pulls from one durable JetStream consumer and hands each message to a handler, with a
 * bound on how many are handled at once. It fetches only as many messages as it has free
 * slots, so none wait in a client buffer while their ack wait runs out (another worker
 * might be idle meanwhile). Loops that share one `Slots` share its bound.
 */
import { AckPolicy, DeliverPolicy, type Consumer, type ConsumerMessages, type JetStreamClient, type JetStreamManager, type JsMsg } from "@nats-io/jetstream";
import { retrying } from "./jetstream-connection.js";

/** How long one pull request waits for messages before the next (the client's minimum is 1 s). */
const FETCH_EXPIRES_MS = 5_000;
/** Pause after a failed pull (server away), so a dead link does not spin. */
const FAILED_PULL_PAUSE_MS = 250;

/**
 * A bound on messages in flight, shared by the loops given the same one. Freed slots go to
 * the loops waiting, oldest first: a loop that gives slots back (an empty fetch) must not
 * take them again ahead of one that waits, or a worker with fewer slots than adapters
 * would starve an adapter for good.
 */
export class Slots {
  private used = 0;
  private readonly waiting: { readonly wanted: number; readonly resolve: (n: number) => void }[] = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`a concurrency must be a positive integer, got ${size}`);
  }

  get free(): number {
    return this.size - this.used;
  }

  /** Takes up to `wanted` free slots (at least one), waiting its turn until one is free; one at once when `stop` aborts. */
  take(wanted: number, stop: AbortSignal): Promise<number> {
    if (stop.aborted || (this.waiting.length === 0 && this.free > 0)) return Promise.resolve(this.grab(wanted));
    return new Promise((resolve) => {
      const entry = { wanted, resolve };
      this.waiting.push(entry);
      // The caller gives it back at once: it only needs to see that it stops.
      stop.addEventListener("abort", () => {
        const at = this.waiting.indexOf(entry);
        if (at >= 0) this.waiting.splice(at, 1).forEach((w) => w.resolve(this.grab(1)));
      }, { once: true });
    });
  }

  give(n: number): void {
    this.used -= n;
    while (this.waiting.length > 0 && this.free > 0) {
      const next = this.waiting.shift() as (typeof this.waiting)[number];
      next.resolve(this.grab(next.wanted));
    }
  }

  /** Kept for loops stopping: waiters leave through their stop signal. */
  wakeAll(): void {
    this.give(0);
  }

  private grab(wanted: number): number {
    const n = Math.max(1, Math.min(wanted, this.free));
    this.used += n;
    return n;
  }
}

export interface PullLoopOptions {
  readonly js: JetStreamClient;
  readonly stream: string;
  readonly consumer: string;
  readonly slots: Slots;
  /** How many loops share `slots`: each takes its share per pull, so none starves the others. */
  readonly sharers?: number;
  /** Acks, naks or terms the message itself; a rejection goes to `onError`. */
  readonly handle: (msg: JsMsg) => Promise<void>;
  readonly onError: (error: unknown, what: string) => void;
}

export class PullLoop {
  private readonly stopping = new AbortController();
  private batch: ConsumerMessages | undefined;
  private loop: Promise<void> | undefined;
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly options: PullLoopOptions) {}

  /** Starts pulling in the background. */
  start(): void {
    this.loop ??= this.run().catch((error: unknown) => {
      if (!this.stopping.signal.aborted) this.options.onError(error, `pulling from ${this.options.stream}/${this.options.consumer}`);
    });
  }

  /** Messages being handled. */
  get inFlight(): number {
    return this.running.size;
  }

  /** Stops pulling; handlers already running go on (`idle()` waits for them). */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.options.slots.wakeAll();
    await this.batch?.close();
    await this.loop;
  }

  /** Resolves once no handler runs. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private async run(): Promise<void> {
    const { js, stream, consumer: name, slots } = this.options;
    const stop = this.stopping.signal;
    const consumer: Consumer = await retrying(() => js.consumers.get(stream, name), stop);
    while (!stop.aborted) {
      const share = Math.max(1, Math.floor(slots.free / (this.options.sharers ?? 1)));
      const taken = await slots.take(share, stop);
      let used = 0;
      try {
        if (stop.aborted) break;
        this.batch = await consumer.fetch({ max_messages: taken, expires: FETCH_EXPIRES_MS });
        for await (const msg of this.batch) {
          if (stop.aborted) {
            msg.nak(); // pulled while stopping: back to the queue for another taker
            continue;
          }
          used++;
          this.dispatch(msg);
        }
      } catch (error) {
        if (stop.aborted) break;
        this.options.onError(error, `pulling from ${stream}/${name}`);
        await pause(FAILED_PULL_PAUSE_MS);
      } finally {
        this.batch = undefined;
        slots.give(taken - used);
      }
    }
  }

  /** Runs the handler; its slot is given back when it settles. */
  private dispatch(msg: JsMsg): void {
    const handled: Promise<void> = this.options
      .handle(msg)
      .catch((error: unknown) => this.options.onError(error, `handling message ${msg.seq} of ${this.options.stream}`))
      .finally(() => {
        this.running.delete(handled);
        this.options.slots.give(1);
      });
    this.running.add(handled);
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** A durable pull consumer's settings that Aslan chooses. */
export interface PullConsumerSpec {
  readonly name: string;
  readonly filterSubject: string;
  /** How long a delivered message may go unacknowledged (no `working()`) before it goes to another taker. */
  readonly ackWaitMs: number;
}

/** Creates the durable pull consumer, or updates it to `spec` (every node and worker calls this at start). */
export async function ensurePullConsumer(jsm: JetStreamManager, stream: string, spec: PullConsumerSpec): Promise<void> {
  const config = {
    durable_name: spec.name,
    filter_subject: spec.filterSubject,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: spec.ackWaitMs * 1e6,
    max_deliver: -1,
  };
  try {
    await jsm.consumers.info(stream, spec.name);
  } catch (error) {
    if (!/consumer not found/i.test((error as Error)?.message ?? "")) throw error;
    await jsm.consumers.add(stream, config);
    return;
  }
  await jsm.consumers.update(stream, spec.name, { ack_wait: config.ack_wait, max_deliver: -1 });
}
