/**
 * Activity task tokens shared by every runtime node (distributed mode), in one KV bucket:
 *
 * - `t_<sha256(token)>` → the execution and task id the token answers, so SendTask* on any
 *   node reaches the task (`engine.applyAnswer`). The token itself is the execution's own
 *   kind (translators/xstate/task-token.ts: it names the execution); this entry adds the task.
 * - `c_<sha256(executionArn#taskId)>` → the token a task was handed out with: a claim, so a
 *   task message that comes back (an acked message after a server crash, a dispatch repeated
 *   once the Msg-Id window has passed) is not handed to a second worker.
 *
 * Entries live a day after their last write (the bucket's TTL, the Msg-Id window's length);
 * a heartbeat writes the token's entry again, so a worker that heartbeats keeps its token.
 */
import { createHash } from "node:crypto";
import type { JetStreamClient } from "@nats-io/jetstream";
import { Kvm, type KV } from "@nats-io/kv";

/** KV bucket of activity tokens and claims. */
export const ACTIVITY_TOKENS_BUCKET = "aslan_activity_tokens";

const TOKEN_TTL_MS = 24 * 3600 * 1000;

/** The task an activity token answers. */
export interface ActivityTaskRef {
  readonly executionArn: string;
  readonly taskId: string;
}

/** Who holds a task: its token, the message that claimed it, and whether a poller got it. */
interface Claim {
  readonly token: string;
  readonly seq: number;
  readonly out: boolean;
}

export class ActivityTokens {
  private bucket: Promise<KV> | undefined;

  constructor(private readonly js: JetStreamClient) {}

  /**
   * Claims the task for `token` and records the token: false when the task was handed out
   * already (its claim exists). The message that made a claim (stream sequence `seq`) may
   * claim it again while it was never handed out: the node that claimed it died before its
   * poller got it. Undone with `release` when the hand-out does not go through.
   */
  async claim(task: ActivityTaskRef, token: string, seq: number): Promise<boolean> {
    const kv = await this.kv();
    const key = claimKey(task);
    const value = JSON.stringify({ token, seq, out: false } satisfies Claim);
    try {
      await kv.create(key, value);
    } catch (error) {
      if (!isExisting(error)) throw error;
      const entry = await kv.get(key);
      const held = entry?.operation === "PUT" ? entry.json<Claim>() : undefined;
      if (!entry || !held || held.seq !== seq || held.out) return false;
      try {
        await kv.update(key, value, entry.revision);
      } catch {
        return false; // another node took it over first
      }
      await kv.delete(tokenKey(held.token));
    }
    await kv.put(tokenKey(token), JSON.stringify(task));
    return true;
  }

  /** The poller has the task: from now on a message for it is a repeat and is dropped. */
  async handedOut(task: ActivityTaskRef, token: string, seq: number): Promise<void> {
    await (await this.kv()).put(claimKey(task), JSON.stringify({ token, seq, out: true } satisfies Claim));
  }

  /** Forgets a claim and its token (the worker never got the task: it goes back to the queue). */
  async release(task: ActivityTaskRef, token: string): Promise<void> {
    const kv = await this.kv();
    await kv.delete(tokenKey(token));
    await kv.delete(claimKey(task));
  }

  /** The task a token answers; undefined for a token no node handed out (or forgotten after a day). */
  async lookup(token: string): Promise<ActivityTaskRef | undefined> {
    const entry = await (await this.kv()).get(tokenKey(token));
    return entry?.operation === "PUT" ? entry.json<ActivityTaskRef>() : undefined;
  }

  /** Writes the token's entry again: its day starts over (a heartbeat). */
  async touch(token: string, task: ActivityTaskRef): Promise<void> {
    await (await this.kv()).put(tokenKey(token), JSON.stringify(task));
  }

  /** Opens the bucket at first use (creating it when missing); a failed open is tried again next time. */
  private kv(): Promise<KV> {
    this.bucket ??= new Kvm(this.js).create(ACTIVITY_TOKENS_BUCKET, { ttl: TOKEN_TTL_MS, history: 1 }).catch((error: unknown) => {
      this.bucket = undefined;
      throw error;
    });
    return this.bucket;
  }
}

/** KV keys allow few characters and tokens and ARNs have others: hashes. */
const hash = (text: string): string => createHash("sha256").update(text).digest("hex");
const tokenKey = (token: string): string => `t_${hash(token)}`;
const claimKey = (task: ActivityTaskRef): string => `c_${hash(`${task.executionArn}#${task.taskId}`)}`;

/** `create` on a key that holds a value (JetStream's "wrong last sequence"). */
function isExisting(error: unknown): boolean {
  const e = error as { code?: unknown; message?: string };
  return e?.code === 10071 || /wrong last sequence|key exists/i.test(e?.message ?? "");
}
