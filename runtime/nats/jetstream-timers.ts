/**
 * Durable timers shared by every runtime node, on JetStream (TimerServiceV2; ARCHITECTURE.md
 * "TimerService ... JetStream: due-time header; nak with delay; re-nak if woken early").
 *
 * The ExecutionStore holds the timer records (what is set, until when); the stream holds one
 * message per setting (jetstream-timer-queue.ts), pulled by whichever node is free. On each
 * delivery the node reads the record: gone or set to another time, the message is dropped;
 * not due yet (a first delivery, or a server restart waking a delayed nak early), it is
 * nak'ed with the time that remains, or held in memory when that is under a second; due,
 * the handler runs, the record is acknowledged and then the message. A failed handler naks
 * it with a retry delay. A one-year timer costs one stored message and no node's memory.
 *
 * Delivery is at least once: a node that dies mid-handler leaves the message unacknowledged
 * and another node gets it after the ack wait.
 */
import type { Consumer, JetStreamClient, JetStreamManager, JsMsg } from "@nats-io/jetstream";
import type { Clock } from "../ports/clock.js";
import { StoreCorruptionError, type ExecutionStore, type TimerRecord } from "../ports/execution-store.js";
import type { TimerHandler, TimerServiceV2 } from "../ports/timer-service-v2.js";
import { isTransient, retrying } from "./jetstream-connection.js";
import { decodeTimerMessage, ensureTimerQueue, publishTimer, timerQueueNames, type TimerMessage, type TimerQueueNames } from "./jetstream-timer-queue.js";

/** The store side: the ExecutionStore's timer methods and a read of one timer. */
export type TimerStore = Pick<ExecutionStore, "updateTimers" | "timersDue"> & {
  getTimer(timerId: string): Promise<TimerRecord | undefined>;
};

export interface JetStreamTimersOptions {
  /** A connection the caller opened (and closes): `connectJetStream`'s js and jsm. */
  readonly link: { readonly js: JetStreamClient; readonly jsm: JetStreamManager };
  readonly store: TimerStore;
  readonly clock: Clock;
  /** Names the stream (`<NS>_TIMERS`), subject (`<ns>.timers`) and consumer. Default `aslan`. */
  readonly namespace?: string;
  /** How long a failed handler's timer waits before it is delivered again. Default 5 s. */
  readonly retryDelayMs?: number;
  /**
   * A timer due within this many ms waits on the node that got its message, in memory, for
   * precision and due order (a nak's redelivery is only as punctual as the server); a later
   * one is nak'ed with its remaining time. Default 1 s; keep it well under the ack wait.
   */
  readonly holdMs?: number;
  /** How late a stored timer may be before it is published again (its message was lost). Default 15 s. */
  readonly overdueMs?: number;
  /** How long a node may hold a message silently before JetStream gives it to another. Default 30 s. */
  readonly ackWaitMs?: number;
  /** Told when a handler, an acknowledgement or a publish fails, and when a corrupted timer record is dropped. */
  readonly onError?: (error: unknown, timer?: TimerRecord) => void;
}

/** Timers republished at once at start (each is a publish and, when a duplicate, a lookup). */
const REPUBLISH_PAGE = 256;
/** Corrupted timer records the start scan drops before it gives up (and throws the next). */
const MAX_DROPS = 100;
/** Messages one pull asks for. */
const PULL_BATCH = 256;
/** How long one pull waits for messages (the client's minimum): also the longest a close waits for it. */
const PULL_EXPIRES_MS = 1_000;
/** How long after its expiry a pull may still be answered. */
const PULL_MARGIN_MS = 100;
/** Pause before pulling again after a pull failed (server away, consumer deleted). */
const REPULL_DELAY_MS = 250;

export class JetStreamTimers implements TimerServiceV2 {
  /** How late a stored timer may be before it gets a new message (`rescueOverdue`), and how often that is checked. */
  private readonly overdueMs: number;
  private watchdog: NodeJS.Timeout | undefined;
  private rescuing = false;
  /** Set after the server came back from a crash: timers published from then on get new Msg-Ids. */
  private epoch = "";

  /**
   * The server came back (it may have crashed): timers published again from now on are not
   * deduplicated against what it held before, which a crash can leave undeliverable.
   */
  reconnected(): void {
    this.epoch = `#${this.clock.now().toString(36)}`;
  }

  private readonly js: JetStreamClient;
  private readonly jsm: JetStreamManager;
  private readonly store: TimerStore;
  private readonly clock: Clock;
  private readonly names: TimerQueueNames;
  private readonly retryDelayMs: number;
  private readonly holdMs: number;
  private readonly ackWaitMs: number;
  private readonly onError: (error: unknown, timer?: TimerRecord) => void;
  /** Aborts publish retries and the pull loop's pauses at close. */
  private readonly stop = new AbortController();
  private readonly work = new Set<Promise<void>>();
  /** Timers whose handler runs on this node, by id: their due time (a duplicate message waits). */
  private readonly firing = new Map<string, number>();
  /** Corrupted records being removed, by key: concurrent readers report each once. */
  private readonly dropping = new Map<string, Promise<void>>();
  /** Messages of timers due soon, waiting in memory here: their timeout handles. */
  private readonly held = new Map<JsMsg, { readonly handle: NodeJS.Timeout; readonly dueAt: number }>();
  private handler: TimerHandler | undefined;
  private pulling: Promise<void> | undefined;
  private closed = false;
  /** A message was nak'ed for another node since close began: close confirms it reached the server. */
  private gaveBack = false;
  /** When this node's latest pull expires (real time). */
  private lastPullEnds = 0;

  constructor(options: JetStreamTimersOptions) {
    this.js = options.link.js;
    this.jsm = options.link.jsm;
    this.store = options.store;
    this.clock = options.clock;
    this.names = timerQueueNames(options.namespace);
    this.retryDelayMs = options.retryDelayMs ?? 5_000;
    this.holdMs = options.holdMs ?? 1_000;
    this.overdueMs = options.overdueMs ?? 15_000;
    this.ackWaitMs = options.ackWaitMs ?? 30_000;
    this.onError = options.onError ?? ((error, timer) => console.error(timer ? `timer ${timer.timerId} failed` : "jetstream timers", error));
  }

  /** Ensures the stream and consumer, republishes every stored timer, then pulls. */
  async start(onFire: TimerHandler): Promise<void> {
    if (this.handler) throw new Error("JetStreamTimers.start was already called");
    this.handler = onFire;
    await retrying(() => ensureTimerQueue(this.jsm, this.names, this.ackWaitMs), this.stop.signal);
    // A node may have died between its store commit and its publish: the store is the truth.
    await this.republish();
    if (!this.closed) this.pulling = this.pullLoop();
    this.watchdog = setInterval(() => void this.rescueOverdue(), this.overdueMs);
    this.watchdog.unref();
  }

  /**
   * Timers still in the store well past their due time have lost their message (a node died
   * holding it or between its commit and its publish, a server crash lost it): each gets a
   * copy under a new Msg-Id. Delivery reads the record, so a copy of a timer that did fire
   * meanwhile is dropped, and one that fires is fired once (the record is then gone).
   */
  private async rescueOverdue(): Promise<void> {
    if (this.rescuing || this.closed) return;
    this.rescuing = true;
    try {
      const now = this.clock.now();
      const page = await this.store.timersDue(now - this.overdueMs, { limit: REPUBLISH_PAGE });
      const epoch = `#overdue-${now.toString(36)}`;
      await Promise.all(page.items.filter((t) => this.firing.get(t.timerId) !== t.dueAt).map((t) =>
        publishTimer(this.js, this.jsm, this.names, { timerId: t.timerId, dueAt: t.dueAt }, epoch)));
    } catch (error) {
      if (!this.closed) this.onError(error);
    } finally {
      this.rescuing = false;
    }
  }

  async schedule(timer: TimerRecord): Promise<void> {
    await this.store.updateTimers({ set: [timer] });
    await this.publish(timer);
  }

  /** The message stays; it is dropped when delivered, as the record is gone. */
  async cancel(timerId: string): Promise<void> {
    await this.store.updateTimers({ cancel: [timerId] });
  }

  committed(changes: { readonly set?: readonly TimerRecord[]; readonly cancel?: readonly string[] }): void {
    for (const timer of changes.set ?? []) this.track(this.publish(timer).catch((error: unknown) => this.onError(error, timer)));
  }

  /** Resolves once no handler, acknowledgement or publish runs on this node. */
  async idle(): Promise<void> {
    while (this.work.size > 0) await Promise.allSettled([...this.work]);
  }

  /** Stops pulling (the last pull runs out within a second) and waits for the handlers in flight; leaves the connection open. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.watchdog);
    this.stop.abort();
    await this.pulling;
    // Timers waiting here go back to the queue, for the next node, at their due time.
    for (const [msg, { handle, dueAt }] of this.held) {
      clearTimeout(handle);
      this.giveBack(msg, dueAt);
    }
    this.held.clear();
    await this.idle();
    // A nak is fire-and-forget: a connection closed right after it can drop it, and the
    // message then waits out the ack wait (30 s). One request round trip after them
    // returns only once the server has read them (it reads a connection in order).
    if (this.gaveBack) await this.jsm.getAccountInfo().catch(() => undefined);
  }

  private track(run: Promise<void>): void {
    // e.g. a nak on a connection its owner already closed: reported, never unhandled.
    const tracked = run.catch((error: unknown) => this.onError(error)).finally(() => this.work.delete(tracked));
    this.work.add(tracked);
  }

  private publish(timer: TimerMessage): Promise<void> {
    return retrying(() => publishTimer(this.js, this.jsm, this.names, timer, this.epoch), this.stop.signal, `publish timer ${timer.timerId}`);
  }

  private async republish(): Promise<void> {
    let cursor: string | undefined;
    let dropped = 0;
    while (!this.closed) {
      let page: Awaited<ReturnType<TimerStore["timersDue"]>>;
      try {
        page = await this.store.timersDue(Infinity, cursor === undefined ? { limit: REPUBLISH_PAGE } : { limit: REPUBLISH_PAGE, cursor });
      } catch (error) {
        // A record that cannot be read would hide every later timer: report it, drop it, go on.
        if (!isCorruptTimer(error) || ++dropped > MAX_DROPS) throw error;
        await this.dropCorrupt(error);
        continue;
      }
      await Promise.all(page.items.map((t) => this.publish(t)));
      if ((cursor = page.cursor) === undefined) break;
    }
  }

  /**
   * Pulls in bounded batches and hands each message to `deliver` without waiting for it.
   * Batches, not an endless `consume`: at close the last pull runs out by itself, and every
   * message the server sent by then is seen (and given back), none left unacknowledged for
   * the ack wait as one arriving after an unsubscribe would be.
   */
  private async pullLoop(): Promise<void> {
    let consumer: Consumer | undefined;
    let failed = false;
    while (!this.closed) {
      try {
        // After a failure the stream or consumer may be gone (deleted, a server that lost its store).
        if (failed && !consumer) await ensureTimerQueue(this.jsm, this.names, this.ackWaitMs);
        consumer ??= await this.js.consumers.get(this.names.stream, this.names.consumer);
        this.lastPullEnds = Date.now() + PULL_EXPIRES_MS;
        const batch = await consumer.fetch({ max_messages: PULL_BATCH, expires: PULL_EXPIRES_MS });
        for await (const msg of batch) this.track(this.deliver(msg));
      } catch (error) {
        if (this.closed) return;
        // A server away (restart) is expected and waited out; anything else is worth a word.
        if (!isTransient(error)) this.onError(error);
        consumer = undefined;
        failed = true;
        await pause(REPULL_DELAY_MS, this.stop.signal);
      }
    }
  }

  private async deliver(msg: JsMsg): Promise<void> {
    let message: TimerMessage;
    try {
      message = decodeTimerMessage(msg.data);
    } catch (error) {
      this.onError(error);
      return this.settle(msg);
    }
    const { timerId, dueAt } = message;
    // Closing: give it back for another node, at its due time.
    if (this.closed) return this.giveBack(msg, dueAt);
    let timer: TimerRecord | undefined;
    try {
      timer = await this.store.getTimer(timerId);
    } catch (error) {
      if (!isCorruptTimer(error)) {
        this.onError(error);
        return msg.nak(this.retryDelayMs);
      }
      await this.dropCorrupt(error);
      // Its own record: nothing left to fire. Another one (a store whose read scans): read again.
      return error.record.key === timerId ? this.settle(msg) : msg.nak();
    }
    if (timer?.dueAt !== dueAt) return this.dropStale(msg, message);
    const wait = dueAt - this.clock.now();
    if (wait > this.holdMs) return msg.nak(Math.ceil(wait));
    if (wait > 0) return this.hold(msg, dueAt, wait);
    if (this.firing.get(timerId) === dueAt) return msg.nak(this.retryDelayMs);
    await this.fire(msg, timer);
  }

  private async fire(msg: JsMsg, timer: TimerRecord): Promise<void> {
    const { timerId, dueAt } = timer;
    this.firing.set(timerId, dueAt);
    // Real time on purpose: it keeps the server's (real-time) ack wait from expiring.
    const beat = setInterval(() => msg.working(), Math.max(1_000, this.ackWaitMs / 3));
    try {
      await (this.handler as TimerHandler)(timer);
      // Removed only while still due then: the handler may have set the same id again.
      await this.store.updateTimers({ acknowledge: [{ timerId, dueAt }] });
    } catch (error) {
      this.onError(error, timer);
      return msg.nak(this.retryDelayMs);
    } finally {
      clearInterval(beat);
      if (this.firing.get(timerId) === dueAt) this.firing.delete(timerId);
    }
    await this.settle(msg);
  }

  /**
   * Acknowledges a message whose timer was cancelled or set to another time. The timer may
   * have been set again to this very time meanwhile, with a publish deduplicated against this
   * message: read once more after the ack, and publish again if so.
   */
  private async dropStale(msg: JsMsg, message: TimerMessage): Promise<void> {
    await this.settle(msg);
    const again = await this.store.getTimer(message.timerId).catch(() => undefined);
    if (again?.dueAt === message.dueAt) await this.publish(again).catch((error: unknown) => this.onError(error, again));
  }

  /**
   * Waits here for a timer due soon, then reads its record again (it may have been cancelled
   * meanwhile). Real time, like the nak it replaces: the clock decides only whether it is due.
   */
  private hold(msg: JsMsg, dueAt: number, wait: number): void {
    const handle = setTimeout(() => {
      this.held.delete(msg);
      this.track(this.deliver(msg));
    }, Math.ceil(wait));
    this.held.set(msg, { handle, dueAt });
  }

  /** Naks a message this node will not handle, delayed until its timer is due. */
  private giveBack(msg: JsMsg, dueAt: number): void {
    this.gaveBack = true;
    // Not back before this node's last pull has run out: a message the server sends to a
    // pull as it expires can be dropped by the client, and then waits out the ack wait.
    const lastPullLeft = this.lastPullEnds + PULL_MARGIN_MS - Date.now();
    msg.nak(Math.max(0, Math.ceil(dueAt - this.clock.now()), lastPullLeft));
  }

  /** A lost acknowledgement only means one more delivery, which the store then drops. */
  private async settle(msg: JsMsg): Promise<void> {
    await msg.ackAck().catch(() => false);
  }

  private dropCorrupt(error: StoreCorruptionError): Promise<void> {
    const key = error.record.key;
    let drop = this.dropping.get(key);
    if (!drop) {
      this.onError(error);
      drop = this.store
        .updateTimers({ cancel: [key] })
        .catch((e: unknown) => this.onError(e))
        .finally(() => this.dropping.delete(key));
      this.dropping.set(key, drop);
    }
    return drop;
  }
}

function isCorruptTimer(error: unknown): error is StoreCorruptionError {
  return error instanceof StoreCorruptionError && error.record.kind === "timer";
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done);
  });
}
