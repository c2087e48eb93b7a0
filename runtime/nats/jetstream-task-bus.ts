/**
 * A runtime node's TaskBus in distributed mode (ARCHITECTURE.md "Distributed mode"): tasks
 * go to adapter workers on the TASKS_STREAM work queue (`aslan.tasks.<adapter>`), and the
 * workers' answers come back on ANSWERS_STREAM, which every node pulls from one shared
 * durable consumer. Nodes are stateless, so the `reply` a dispatch gets is not used: the
 * answer may reach any node, which applies it as an event.
 */
import { RetentionPolicy, StorageType, type JetStreamClient, type JetStreamManager, type JsMsg } from "@nats-io/jetstream";
import type { TaskBus, TaskReply, TaskRequest } from "../ports/task-bus.js";
import { ensureStream, persisting, retrying } from "./jetstream-connection.js";
import { ensurePullConsumer, PullLoop, Slots } from "./jetstream-pull-loop.js";
import { decodeWire, encodeWire } from "./wire-codec.js";
import {
  ANSWERS_CONSUMER, ANSWERS_STREAM, ANSWERS_SUBJECT, DUPLICATE_WINDOW_NS, TASKS_STREAM, taskMsgId, taskSubject,
  type AnswerMessage, type TaskMessage,
} from "./wire.js";

/**
 * Stream, subject, consumer and bucket names of one task bus. A namespace (tests, several
 * Aslan installations on one server) suffixes the streams and bucket and prefixes the subjects.
 */
export interface TaskBusNames {
  readonly tasksStream: string;
  readonly taskSubject: (adapter: string) => string;
  readonly answersStream: string;
  readonly answersSubject: string;
  readonly answersConsumer: string;
  /** KV bucket where workers claim tasks (jetstream-task-claims.ts). */
  readonly claimsBucket: string;
}

export function taskBusNames(namespace?: string): TaskBusNames {
  if (namespace !== undefined && !/^[A-Za-z0-9_-]+$/.test(namespace)) throw new RangeError(`a namespace is letters, digits, _ and -, got '${namespace}'`);
  const suffix = namespace === undefined ? "" : `_${namespace}`;
  const prefix = namespace === undefined ? "" : `${namespace}.`;
  return {
    tasksStream: TASKS_STREAM + suffix,
    taskSubject: (adapter) => prefix + taskSubject(adapter),
    answersStream: ANSWERS_STREAM + suffix,
    answersSubject: prefix + ANSWERS_SUBJECT,
    answersConsumer: ANSWERS_CONSUMER,
    claimsBucket: `aslan_task_claims${suffix}`,
  };
}

/** Creates (or updates) the task and answer work queues; every node and worker calls it at start. */
export async function ensureTaskStreams(jsm: JetStreamManager, namespace?: string): Promise<void> {
  const names = taskBusNames(namespace);
  const queue = { retention: RetentionPolicy.Workqueue, storage: StorageType.File, duplicate_window: DUPLICATE_WINDOW_NS };
  await ensureStream(jsm, { name: names.tasksStream, subjects: [names.taskSubject(">")], ...queue });
  // `aslan.answers` for any node, `aslan.answers.node.<id>` for one node's Express executions (wire.ts).
  await ensureStream(jsm, { name: names.answersStream, subjects: [names.answersSubject, `${names.answersSubject}.>`], ...queue });
}

/** How long an answer the handler could not apply yet ("retry", or it threw) waits before it comes again. */
const ANSWER_RETRY_DELAY_MS = 200;
/** How long a node may hold an answer without acking it before another node gets it (a node's handlers take milliseconds: this bounds how long a dead node's answers wait). */
const ANSWER_ACK_WAIT_MS = 10_000;

export type AnswerHandler = (answer: AnswerMessage) => Promise<"done" | "retry">;

export interface JetStreamTaskBusOptions {
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  /** The adapter (worker subject) that runs a resource, for `dispatch`; undefined: no adapter does. */
  readonly routeOf?: (resource: string) => string | undefined;
  readonly namespace?: string;
  /** Failures that cannot reach the engine: a dispatch that could not be published, an answer handler that threw. */
  readonly onError?: (error: unknown, what: string) => void;
  /** Most answers handled at once (default 64). */
  readonly maxAnswersInFlight?: number;
  /** Epoch ms, for `dispatchedAt`. */
  readonly now?: () => number;
  /**
   * This node's id: the tasks of Express executions (which live only in the node that runs
   * them) name its own answers subject, and `consumeAnswers` reads that subject too.
   */
  readonly nodeId?: string;
}

/** Express executions' ARNs (`…:express:…`): not in the store, so their answers must come back here. */
const isExpress = (executionArn: string): boolean => executionArn.includes(":express:");

export class JetStreamTaskBus implements TaskBus {
  /** Set after the server came back from a crash: tasks dispatched from then on get new Msg-Ids (workers' claims still run each task once). */
  private epoch = "";

  /** The server came back (it may have crashed): see `epoch`. */
  reconnected(now: number): void {
    this.epoch = `#${now.toString(36)}`;
  }

  private readonly names: TaskBusNames;
  private readonly closing = new AbortController();
  private readonly publishing = new Set<Promise<void>>();
  private answers: PullLoop | undefined;
  private ownAnswers: PullLoop | undefined;

  constructor(private readonly options: JetStreamTaskBusOptions) {
    this.names = taskBusNames(options.namespace);
  }

  /** Publishes the task for its adapter's workers; the answers come through `consumeAnswers`. */
  dispatch(task: TaskRequest, reply: TaskReply): void {
    const adapter = this.options.routeOf?.(task.resource);
    if (adapter === undefined) return reply.failed("States.Runtime", `No adapter runs resource '${task.resource}'`);
    this.dispatchTo(adapter, task);
  }

  /** Publishes the task to the workers of `adapter` (the caller has routed it). */
  dispatchTo(adapter: string, task: TaskRequest): void {
    const { nodeId } = this.options;
    const answerSubject = nodeId !== undefined && isExpress(task.executionArn) ? this.nodeSubject(nodeId) : undefined;
    const message: TaskMessage = { adapter, task, dispatchedAt: (this.options.now ?? Date.now)(), ...(answerSubject !== undefined ? { answerSubject } : {}) };
    const data = encodeWire(message);
    const subject = this.names.taskSubject(adapter);
    // Retried until it goes (the step that scheduled it is stored: nothing would send it again);
    // the Msg-Id makes a repeated publish a no-op.
    const what = `dispatching task ${task.taskId} of ${task.executionArn} to ${subject}`;
    const published: Promise<void> = persisting(
      () => this.options.js.publish(subject, data, { msgID: taskMsgId(task.executionArn, task.taskId) + this.epoch }),
      this.closing.signal,
      (error) => this.error(error, `${what} (trying again until it goes)`),
    )
      .then(
        () => undefined,
        (error: unknown) => this.error(error, what),
      )
      .finally(() => this.publishing.delete(published));
    this.publishing.add(published);
  }

  /**
   * Starts applying workers' answers with `handler`, shared with every other node: "done"
   * acknowledges the answer, "retry" (or a throw) hands it back to the queue for a moment.
   * Handlers must be idempotent: after a server crash an answer may come again.
   */
  async consumeAnswers(handler: AnswerHandler): Promise<void> {
    if (this.answers) throw new Error("this task bus consumes answers already");
    const { js, jsm } = this.options;
    const { answersStream, answersSubject, answersConsumer } = this.names;
    await retrying(() => ensurePullConsumer(jsm, answersStream, { name: answersConsumer, filterSubject: answersSubject, ackWaitMs: ANSWER_ACK_WAIT_MS }), this.closing.signal);
    const slots = new Slots(this.options.maxAnswersInFlight ?? 64);
    const loop = (consumer: string): PullLoop => new PullLoop({
      js, stream: answersStream, consumer, slots,
      handle: (msg) => this.apply(msg, handler),
      onError: (error, what) => this.error(error, what),
    });
    this.answers = loop(answersConsumer);
    this.answers.start();
    const { nodeId } = this.options;
    if (nodeId !== undefined) {
      // Its own subject: a durable consumer named after the node (a node that never comes back leaves it behind, idle).
      const own = `aslan-node-${nodeId}`;
      await retrying(() => ensurePullConsumer(jsm, answersStream, { name: own, filterSubject: this.nodeSubject(nodeId), ackWaitMs: ANSWER_ACK_WAIT_MS }), this.closing.signal);
      this.ownAnswers = loop(own);
      this.ownAnswers.start();
    }
  }

  private nodeSubject(nodeId: string): string {
    return `${this.names.answersSubject}.node.${nodeId}`;
  }

  /** Stops consuming answers and waits for the handlers in flight; dispatches still retrying give up. */
  async close(): Promise<void> {
    await Promise.all([this.answers?.stop(), this.ownAnswers?.stop()]);
    await Promise.all([this.answers?.idle(), this.ownAnswers?.idle()]);
    this.closing.abort();
    while (this.publishing.size > 0) await Promise.allSettled([...this.publishing]);
  }

  private async apply(msg: JsMsg, handler: AnswerHandler): Promise<void> {
    let answer: AnswerMessage;
    try {
      answer = decodeWire<AnswerMessage>(msg.data, "task answer");
    } catch (error) {
      msg.term(); // it would never decode: keep it from coming back
      return this.error(error, `answer ${msg.seq} dropped`);
    }
    let outcome: "done" | "retry";
    try {
      outcome = await handler(answer);
    } catch (error) {
      msg.nak(ANSWER_RETRY_DELAY_MS);
      return this.error(error, `applying ${answer.answer.type} answer for task ${answer.taskId} of ${answer.executionArn}`);
    }
    if (outcome === "retry") return msg.nak(ANSWER_RETRY_DELAY_MS);
    // A lost ack brings the answer back; the handler is idempotent.
    await msg.ackAck().catch((error: unknown) => this.error(error, `acknowledging answer ${msg.seq}`));
  }

  private error(error: unknown, what: string): void {
    this.options.onError?.(error, what);
  }
}
