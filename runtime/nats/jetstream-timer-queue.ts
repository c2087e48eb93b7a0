/**
 * The JetStream side of distributed timers (jetstream-timers.ts): one work-queue stream
 * holding one message per set timer, and one durable pull consumer that every runtime node
 * shares. A message only says "look at timer X due at T"; the ExecutionStore says whether
 * that timer is still set. A timer not yet due is `nak`ed with the time that remains, so a
 * one-year timer is one stored message and nothing in any node's memory.
 */
import { AckPolicy, DeliverPolicy, RetentionPolicy, type JetStreamClient, type JetStreamManager } from "@nats-io/jetstream";
import { ensureStream } from "./jetstream-connection.js";
import { decodeWire, encodeWire } from "./wire-codec.js";
import { DUPLICATE_WINDOW_NS } from "./wire.js";

/** The body of a timer message. */
export interface TimerMessage {
  readonly timerId: string;
  readonly dueAt: number;
}

export interface TimerQueueNames {
  readonly stream: string;
  readonly subject: string;
  readonly consumer: string;
}

/** Names under a namespace (default `aslan`: stream ASLAN_TIMERS, subject aslan.timers); tests use their own. */
export function timerQueueNames(namespace = "aslan"): TimerQueueNames {
  // One token: valid in a subject and in a stream name.
  if (!/^[A-Za-z0-9_-]+$/.test(namespace)) throw new RangeError(`timer namespace "${namespace}" must be letters, digits, _ or -`);
  return { stream: `${namespace.toUpperCase()}_TIMERS`, subject: `${namespace}.timers`, consumer: `${namespace}-nodes` };
}

/** Creates (or updates) the stream and the shared consumer; every node calls it at start. */
export async function ensureTimerQueue(jsm: JetStreamManager, names: TimerQueueNames, ackWaitMs: number): Promise<void> {
  await ensureStream(jsm, { name: names.stream, subjects: [names.subject], retention: RetentionPolicy.Workqueue, duplicate_window: DUPLICATE_WINDOW_NS });
  const config = {
    ack_policy: AckPolicy.Explicit,
    ack_wait: ackWaitMs * 1e6,
    // A timer is redelivered until it fires: no delivery limit.
    max_deliver: -1,
    // Every waiting timer is an unacknowledged message (nak'ed with a delay): a limit would
    // let far timers block near ones.
    max_ack_pending: -1,
  };
  try {
    await jsm.consumers.add(names.stream, { ...config, durable_name: names.consumer, filter_subject: names.subject, deliver_policy: DeliverPolicy.All });
  } catch (error) {
    // It exists with another ack wait (a node of another version or configuration).
    if (!/already (exists|in use)/i.test((error as Error).message)) throw error;
    await jsm.consumers.update(names.stream, names.consumer, config);
  }
}

/**
 * Publishes the message of a set timer, deduplicated on `${timerId}@${dueAt}` so that nodes
 * republishing the same timer at start store it once. A duplicate whose first message is
 * gone (consumed as stale before this timer was set again with the same due time) must not
 * be dropped: it goes again under an id naming that message, which every node that sees the
 * same gap computes alike. `epoch` (after a server crash) makes every id new: a message the
 * crashed server still holds but will never deliver again must not stop its copy.
 */
export async function publishTimer(js: JetStreamClient, jsm: JetStreamManager, names: TimerQueueNames, timer: TimerMessage, epoch = ""): Promise<void> {
  const data = encodeWire({ timerId: timer.timerId, dueAt: timer.dueAt } satisfies TimerMessage);
  let msgID = `${timer.timerId}@${timer.dueAt}${epoch}`;
  for (let attempt = 0; attempt < 8; attempt++) {
    const ack = await js.publish(names.subject, data, { msgID });
    if (!ack.duplicate || (await jsm.streams.getMessage(names.stream, { seq: ack.seq })) !== null) return;
    msgID = `${timer.timerId}@${timer.dueAt}@${ack.seq}`;
  }
  throw new Error(`timer ${timer.timerId}: its message stayed a duplicate of consumed ones`);
}

/** Decodes a timer message; throws a plain Error for one that is not. */
export function decodeTimerMessage(bytes: Uint8Array): TimerMessage {
  const body = decodeWire<Partial<TimerMessage> | null>(bytes, "timer message");
  if (typeof body?.timerId !== "string" || typeof body.dueAt !== "number") throw new Error("timer message: not a {timerId, dueAt}");
  return { timerId: body.timerId, dueAt: body.dueAt };
}
