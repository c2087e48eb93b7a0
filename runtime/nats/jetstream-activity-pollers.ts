/**
 * The GetActivityTask polls one runtime node holds open for one activity, fed from the
 * activity's JetStream work queue (one durable consumer that every node pulls from).
 *
 * The node pulls only while a poll waits here, as many messages as polls wait, and keeps
 * each pull's subscription until the pull expires even when its polls have gone: a message
 * the server delivers meanwhile finds no poll and is nak'ed at once (back to the queue for a
 * poll on another node), never dropped on an inbox nobody reads.
 */
import type { Consumer, ConsumerMessages, JsMsg } from "@nats-io/jetstream";
import type { ActivityTask } from "../control/activity-registry.js";

/** How long one pull waits for messages (the client's minimum is 1 s). */
const PULL_EXPIRES_MS = 5_000;
/** Pause after a failed pull (server away), so a dead link does not spin. */
const FAILED_PULL_PAUSE_MS = 250;

/** One GetActivityTask call waiting here. */
export interface ActivityPoll {
  /** Aborts when the poll ends without a task from this queue: client gone, poll time over, a task from elsewhere. */
  readonly signal: AbortSignal;
  readonly workerName: string | undefined;
  /**
   * Makes this poll's answer the task being handed out; false when the poll has ended
   * meanwhile (the task then goes back to the queue). Called once, right before the ack.
   */
  commit(): Promise<boolean>;
}

/**
 * Hands one message to one poll, and acks, naks or terms the message itself: the task, or
 * "again" when the message held no task for anybody (the poll waits on), or undefined when
 * the poll ended meanwhile (the message went back to the queue).
 */
export type HandOut = (msg: JsMsg, poll: ActivityPoll) => Promise<ActivityTask | "again" | undefined>;

export interface ActivityPollersOptions {
  /** The activity's durable consumer (made at first use). */
  readonly consumer: () => Promise<Consumer>;
  readonly handOut: HandOut;
  readonly onError: (error: unknown, what: string) => void;
}

interface Waiter {
  readonly poll: ActivityPoll;
  resolve(task: ActivityTask | undefined): void;
}

export class ActivityPollers {
  /** Polls waiting for a message, oldest first (a poll being handed a task is not here). */
  private readonly waiting: Waiter[] = [];
  private pulling: Promise<void> | undefined;
  private batch: ConsumerMessages | undefined;
  private closed = false;

  constructor(private readonly options: ActivityPollersOptions) {}

  /** Waits for a task for `poll`; undefined once its signal aborts first. */
  wait(poll: ActivityPoll): Promise<ActivityTask | undefined> {
    if (poll.signal.aborted || this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const gone = (): void => {
        if (this.remove(waiter)) waiter.resolve(undefined);
      };
      const waiter: Waiter = {
        poll,
        resolve: (task) => {
          poll.signal.removeEventListener("abort", gone);
          resolve(task);
        },
      };
      poll.signal.addEventListener("abort", gone, { once: true });
      this.waiting.push(waiter);
      this.pull();
    });
  }

  /** Ends every waiting poll without a task and stops pulling (the activity was deleted, the node stops). */
  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiting.splice(0)) waiter.resolve(undefined);
    await this.batch?.close();
    await this.pulling;
  }

  /** Starts the pull loop unless it runs. */
  private pull(): void {
    if (this.pulling || this.closed) return;
    this.pulling = this.run().finally(() => {
      this.pulling = undefined;
      if (this.waiting.length > 0) this.pull(); // a poll came as the loop ended
    });
  }

  private async run(): Promise<void> {
    while (this.waiting.length > 0 && !this.closed) {
      try {
        const consumer = await this.options.consumer();
        this.batch = await consumer.fetch({ max_messages: this.waiting.length, expires: PULL_EXPIRES_MS });
        for await (const msg of this.batch) this.deliver(msg);
      } catch (error) {
        if (this.closed) return;
        this.options.onError(error, "pulling activity tasks");
        await new Promise((resolve) => setTimeout(resolve, FAILED_PULL_PAUSE_MS).unref());
      } finally {
        this.batch = undefined;
      }
    }
  }

  /** To the oldest waiting poll; with none left (they went away), back to the queue at once. */
  private deliver(msg: JsMsg): void {
    const waiter = this.waiting.shift();
    if (!waiter) return msg.nak();
    this.options.handOut(msg, waiter.poll).then(
      (outcome) => (outcome === "again" ? this.waitAgain(waiter) : waiter.resolve(outcome)),
      (error: unknown) => {
        this.options.onError(error, "handing out an activity task");
        this.waitAgain(waiter);
      },
    );
  }

  /** A poll whose message held no task for it waits on, first in line, unless it has ended. */
  private waitAgain(waiter: Waiter): void {
    if (waiter.poll.signal.aborted || this.closed) return waiter.resolve(undefined);
    this.waiting.unshift(waiter);
    this.pull();
  }

  private remove(waiter: Waiter): boolean {
    const at = this.waiting.indexOf(waiter);
    if (at >= 0) this.waiting.splice(at, 1);
    return at >= 0;
  }
}
