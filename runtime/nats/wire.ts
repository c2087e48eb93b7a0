/**
 * What runtime nodes and adapter workers say to each other over JetStream (ARCHITECTURE.md
 * "Distributed mode"): stream and subject names, and the messages' shapes. No NATS client
 * here: only the `jetstream-*` files import it.
 *
 * Every message body is MessagePack of `[WIRE_VERSION, body]` (wire-codec.ts).
 */
import type { TaskAnswer, TaskRequest } from "../ports/task-bus.js";

export const WIRE_VERSION = 1;

/** Work-queue stream of tasks: one subject per adapter, `aslan.tasks.<adapter>`. */
export const TASKS_STREAM = "ASLAN_TASKS";
export const taskSubject = (adapter: string): string => `aslan.tasks.${adapter}`;

/** Work-queue stream of workers' answers (start, heartbeat, result): any runtime node applies them. */
export const ANSWERS_STREAM = "ASLAN_ANSWERS";
export const ANSWERS_SUBJECT = "aslan.answers";
/** The durable consumer every runtime node pulls answers from (one queue, load-balanced). */
export const ANSWERS_CONSUMER = "aslan-nodes";

/** How long JetStream drops a message with a Msg-Id it has already seen (nanoseconds: 24 hours). */
export const DUPLICATE_WINDOW_NS = 24 * 3600 * 1e9;

/** A task for an adapter worker. Msg-Id: `${executionArn}#${taskId}` (a dispatch repeated after a restart is dropped). */
export interface TaskMessage {
  readonly adapter: string;
  readonly task: TaskRequest;
  /** Epoch ms when it was dispatched (task latency metrics). */
  readonly dispatchedAt: number;
  /**
   * Where the worker publishes its answers; absent: ANSWERS_SUBJECT (any node). An Express
   * execution lives only in the node that runs it, so its tasks name that node's own subject.
   */
  readonly answerSubject?: string;
}

/** What a worker reports about a task (the port's type: nodes apply it as a TaskReply call). */
export type { TaskAnswer };

/** A worker's answer for one task. Msg-Id for settling answers: `${executionArn}#${taskId}#settled`. */
export interface AnswerMessage {
  readonly executionArn: string;
  readonly taskId: string;
  readonly answer: TaskAnswer;
}

export const taskMsgId = (executionArn: string, taskId: string): string => `${executionArn}#${taskId}`;
export const answerMsgId = (executionArn: string, taskId: string, answer: TaskAnswer): string | undefined =>
  answer.type === "succeeded" || answer.type === "failed"
    ? `${executionArn}#${taskId}#settled`
    : answer.type === "started" || answer.type === "submitted" ? `${executionArn}#${taskId}#${answer.type}` : undefined;
