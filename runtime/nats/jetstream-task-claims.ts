/**
 * Exactly-once task runs across redeliveries and duplicate dispatches: before running a
 * task, a worker claims it in a KV bucket, keyed by its `${executionArn}#${taskId}`, with
 * the stream sequence and delivery count of the message that claimed it.
 *
 * - No claim: create it, run the task.
 * - Claimed and done: the result was published already (an acked message that came back
 *   after a server crash, or a dispatch repeated after one): the claim keeps that answer,
 *   which is published again under a Msg-Id naming the new dispatch (a server crash may
 *   have lost it, or left it in a consumer that never delivers it), then ack and skip.
 * - Claimed by another message (another sequence): a duplicate dispatch the Msg-Id window
 *   did not catch: ack and skip.
 * - Claimed by this message, delivered again since (a higher delivery count): the worker
 *   that had it died mid-task; take the claim over and run it.
 * - Claimed by this message at this delivery or a later one: a stale copy; leave it (not
 *   acked, the server hands it out again after its ack wait if nobody finishes it).
 *
 * Entries live 24 hours after their last write (the bucket's TTL), as long as the Msg-Id
 * duplicate window.
 */
import { createHash } from "node:crypto";
import type { JetStreamClient } from "@nats-io/jetstream";
import { Kvm, type KV } from "@nats-io/kv";
import type { TaskAnswer } from "../ports/task-bus.js";

const CLAIM_TTL_MS = 24 * 3600 * 1000;

export type ClaimDecision = "run" | "done" | "duplicate" | "stale";

interface Claim {
  /** Stream sequence of the task message that claimed it. */
  readonly seq: number;
  /** That message's delivery count when it was claimed. */
  readonly delivery: number;
  /** Its result is published. */
  readonly done: boolean;
  /** Once done: the settling answer and where it went. */
  readonly answer?: TaskAnswer;
  readonly subject?: string;
}

/** Which delivery of which task message a worker holds. */
export interface TaskDelivery {
  readonly executionArn: string;
  readonly taskId: string;
  readonly seq: number;
  readonly delivery: number;
}

export class TaskClaims {
  private constructor(private readonly kv: KV) {}

  /** Opens the bucket, creating it when missing. */
  static async open(js: JetStreamClient, bucket: string): Promise<TaskClaims> {
    return new TaskClaims(await new Kvm(js).create(bucket, { ttl: CLAIM_TTL_MS, history: 1 }));
  }

  /** Whether this delivery should run the task (see the file comment). */
  async claim(d: TaskDelivery): Promise<ClaimDecision> {
    const key = claimKey(d);
    const mine: Claim = { seq: d.seq, delivery: d.delivery, done: false };
    for (;;) {
      const entry = await this.kv.get(key);
      const claim = entry?.operation === "PUT" ? entry.json<Claim>() : undefined;
      if (claim?.done) return "done";
      if (claim && claim.seq !== d.seq) return "duplicate";
      if (claim && claim.delivery >= d.delivery) return "stale";
      try {
        if (entry) await this.kv.update(key, encode(mine), entry.revision);
        else await this.kv.create(key, encode(mine));
        return "run";
      } catch (error) {
        if (!isConflict(error)) throw error; // another worker wrote first: look again
      }
    }
  }

  /** Marks the task done with its answer: its result is published, so no later delivery runs it. */
  async finish(d: TaskDelivery, answered: { readonly subject: string; readonly answer: TaskAnswer }): Promise<void> {
    await this.kv.put(claimKey(d), encode({ seq: d.seq, delivery: d.delivery, done: true, ...answered }));
  }

  /** A done task's answer and where it went (undefined when it is not done, or the claim predates answers in claims). */
  async answerOf(d: TaskDelivery): Promise<{ subject: string; answer: TaskAnswer } | undefined> {
    const entry = await this.kv.get(claimKey(d));
    const claim = entry?.operation === "PUT" ? entry.json<Claim>() : undefined;
    return claim?.done && claim.answer && claim.subject !== undefined ? { subject: claim.subject, answer: claim.answer } : undefined;
  }
}

/** KV keys allow few characters and ARNs have colons: a hash of the task's identity. */
const claimKey = (d: TaskDelivery): string => createHash("sha256").update(`${d.executionArn}#${d.taskId}`).digest("hex");

const encode = (claim: Claim): Uint8Array => new TextEncoder().encode(JSON.stringify(claim));

/** A compare-and-set lost to another writer (JetStream's "wrong last sequence"). */
function isConflict(error: unknown): boolean {
  const e = error as { code?: unknown; message?: string };
  return e?.code === 10071 || /wrong last sequence/i.test(e?.message ?? "");
}
