/**
 * An adapter worker (`aslan worker`): runs its adapters' tasks, pulled from
 * `aslan.tasks.<adapter>` through one durable consumer per adapter that every worker of
 * that adapter shares (the server load-balances), and publishes the answers (started,
 * heartbeats, the result) for the runtime nodes. Each task runs once per task id
 * (jetstream-task-claims.ts); a task whose worker dies is redelivered after the ack wait.
 */
import type { JetStreamClient, JetStreamManager, JsMsg } from "@nats-io/jetstream";
import { parseResource } from "../../translators/dataflow/resource.js";
import type { Json } from "../../translators/json.js";
import { TaskError, type Adapter, type AdapterTask } from "../ports/adapter.js";
import type { TaskRequest } from "../ports/task-bus.js";
import { retrying } from "./jetstream-connection.js";
import { ensurePullConsumer, PullLoop, Slots } from "./jetstream-pull-loop.js";
import { TaskClaims, type TaskDelivery } from "./jetstream-task-claims.js";
import { ensureTaskStreams, taskBusNames, type TaskBusNames } from "./jetstream-task-bus.js";
import { decodeWire, encodeWire } from "./wire-codec.js";
import { answerMsgId, type AnswerMessage, type TaskAnswer, type TaskMessage } from "./wire.js";

export interface JetStreamWorkerOptions {
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly adapters: readonly Adapter[];
  readonly namespace?: string;
  /** Most tasks running at once in this worker, all adapters together (default 16). */
  readonly concurrency?: number;
  /** How long a task may go without a sign of life before another worker gets it (default 30 s); running tasks send one every third of it. */
  readonly ackWaitMs?: number;
  /** How long `drain()` lets running tasks finish before it aborts them (default 30 s). */
  readonly drainGraceMs?: number;
  /** In `started` answers (ActivityStarted's workerName). */
  readonly workerName?: string;
  /** Tasks taken and finished (debug logging). */
  readonly onTask?: (event: { readonly task: TaskRequest; readonly adapter: string; readonly outcome: "started" | TaskAnswer["type"] | "skipped" }) => void;
  readonly onError?: (error: unknown, what: string) => void;
}

const DEFAULT_ACK_WAIT_MS = 30_000;
const DEFAULT_DRAIN_GRACE_MS = 30_000;
/** After aborting tasks on a forced stop, how long to wait for adapters to notice. */
const ABORT_GRACE_MS = 2_000;

export class JetStreamWorker {
  private readonly names: TaskBusNames;
  private readonly loops: PullLoop[] = [];
  /** Aborted on a forced stop: running tasks' signals, and publishes still retrying. */
  private readonly forced = new AbortController();
  private claims: TaskClaims | undefined;

  constructor(private readonly options: JetStreamWorkerOptions) {
    this.names = taskBusNames(options.namespace);
    const names = options.adapters.map((a) => a.name);
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (twice !== undefined) throw new Error(`adapter '${twice}' is given twice`);
  }

  /** Creates the streams, claims bucket and consumers it needs, and starts pulling tasks. */
  async start(): Promise<void> {
    const { js, jsm, adapters } = this.options;
    const stop = this.forced.signal;
    await retrying(() => ensureTaskStreams(jsm, this.options.namespace), stop);
    this.claims = await retrying(() => TaskClaims.open(js, this.names.claimsBucket), stop);
    const slots = new Slots(this.options.concurrency ?? 16);
    for (const adapter of adapters) {
      const consumer = consumerName(adapter.name);
      const spec = { name: consumer, filterSubject: this.names.taskSubject(adapter.name), ackWaitMs: this.ackWaitMs };
      await retrying(() => ensurePullConsumer(jsm, this.names.tasksStream, spec), stop);
      this.loops.push(new PullLoop({
        js, stream: this.names.tasksStream, consumer, slots, sharers: adapters.length,
        handle: (msg) => this.handle(adapter, msg),
        onError: (error, what) => this.error(error, what),
      }));
    }
    for (const loop of this.loops) loop.start();
  }

  /** Tasks running now. */
  get running(): number {
    return this.loops.reduce((n, l) => n + l.inFlight, 0);
  }

  /**
   * Stops taking tasks and lets the running ones finish, publish their results and ack;
   * those still running after the grace period are aborted and left to another worker.
   */
  async drain(graceMs = this.options.drainGraceMs ?? DEFAULT_DRAIN_GRACE_MS): Promise<void> {
    await Promise.all(this.loops.map((l) => l.stop()));
    const idle = Promise.all(this.loops.map((l) => l.idle()));
    if (await within(idle, graceMs)) return;
    await this.close();
  }

  /** Aborts running tasks at once (they are not acked, so another worker runs them again). */
  async close(): Promise<void> {
    this.forced.abort();
    await Promise.all(this.loops.map((l) => l.stop()));
    await within(Promise.all(this.loops.map((l) => l.idle())), ABORT_GRACE_MS);
  }

  private get ackWaitMs(): number {
    return this.options.ackWaitMs ?? DEFAULT_ACK_WAIT_MS;
  }

  private async handle(adapter: Adapter, msg: JsMsg): Promise<void> {
    let message: TaskMessage;
    try {
      message = decodeWire<TaskMessage>(msg.data, "task");
    } catch (error) {
      msg.term(); // it would never decode: keep it from coming back
      return this.error(error, `task message ${msg.seq} dropped`);
    }
    const { task } = message;
    const delivery: TaskDelivery = { executionArn: task.executionArn, taskId: task.taskId, seq: msg.seq, delivery: msg.info.deliveryCount };
    const claims = this.claims as TaskClaims;
    const decision = await retrying(() => claims.claim(delivery), this.forced.signal);
    if (decision === "stale") return;
    if (decision !== "run") {
      // Done before, and dispatched again: the node still waits, so the answer it got was lost or
      // is stuck in a consumer a crashed server left behind. It goes again under a Msg-Id naming
      // this dispatch: under the first one the server would drop it as a duplicate of the stuck copy.
      const stored = decision === "done" ? await retrying(() => claims.answerOf(delivery), this.forced.signal) : undefined;
      if (stored) await this.publish(stored.subject, task, stored.answer, msg.seq);
      this.options.onTask?.({ task, adapter: adapter.name, outcome: "skipped" });
      return void (await msg.ackAck());
    }
    // Tells the server the task is alive, so it is not handed to another worker meanwhile.
    const alive = setInterval(() => msg.working(), Math.max(100, Math.floor(this.ackWaitMs / 3)));
    let answered: { subject: string; answer: TaskAnswer } | undefined;
    try {
      answered = await this.runTask(adapter, message, msg);
      // The claim keeps the answer before it is sent: from then on a delivery of this task
      // that comes back (a server crash resets delivery counts) finds it done and resends
      // the answer instead of running the task again.
      const done = answered;
      if (done && !this.forced.signal.aborted) await retrying(() => claims.finish(delivery, done), this.forced.signal);
    } finally {
      clearInterval(alive);
    }
    if (this.forced.signal.aborted || !answered) return;
    await this.publish(answered.subject, task, answered.answer);
    this.options.onTask?.({ task, adapter: adapter.name, outcome: answered.answer.type });
    await msg.ackAck().catch((error: unknown) => this.error(error, `acknowledging task ${task.taskId}`)); // lost: it comes back "done"
  }

  /** Runs the task, publishing its started, heartbeat and submitted answers; returns the settling one (undefined after a forced stop). */
  private async runTask(adapter: Adapter, message: TaskMessage, msg: JsMsg): Promise<{ subject: string; answer: TaskAnswer } | undefined> {
    const { task } = message;
    const subject = message.answerSubject ?? this.names.answersSubject;
    const answer = (a: TaskAnswer): Promise<void> => this.publish(subject, task, a);
    await answer({ type: "started", ...(this.options.workerName !== undefined ? { workerName: this.options.workerName } : {}) });
    this.options.onTask?.({ task, adapter: adapter.name, outcome: "started" });
    const heartbeat = (): void => {
      msg.working();
      answer({ type: "heartbeat" }).catch((error: unknown) => this.error(error, `heartbeat of task ${task.taskId}`));
    };
    const submitted = (output: Json): void => {
      answer({ type: "submitted", output }).catch((error: unknown) => this.error(error, `submission of task ${task.taskId}`));
    };
    const result = await this.run(adapter, task, heartbeat, submitted);
    // A forced stop aborted it: the result says nothing; another worker runs it again.
    if (this.forced.signal.aborted) return undefined;
    return { subject, answer: result };
  }

  /** The adapter's run as an answer: TaskError keeps its name and cause, anything else is States.TaskFailed. */
  private async run(adapter: Adapter, task: TaskRequest, heartbeat: () => void, submitted: (output: Json) => void): Promise<TaskAnswer> {
    const input: AdapterTask = {
      taskId: task.taskId, resource: parseResource(task.resource), payload: task.payload, stateName: task.stateName, executionArn: task.executionArn,
      ...(task.taskToken !== undefined ? { taskToken: task.taskToken } : {}),
      ...(task.timeoutSeconds !== undefined ? { timeoutSeconds: task.timeoutSeconds } : {}),
      ...(task.heartbeatSeconds !== undefined ? { heartbeatSeconds: task.heartbeatSeconds } : {}),
      signal: this.forced.signal,
      heartbeat,
      submitted,
    };
    try {
      return { type: "succeeded", output: await adapter.run(input) };
    } catch (error) {
      if (error instanceof TaskError) return { type: "failed", error: error.error, ...(error.cause !== undefined ? { cause: error.cause } : {}) };
      return { type: "failed", error: "States.TaskFailed", cause: error instanceof Error ? error.message : String(error) };
    }
  }

  /**
   * Publishes an answer, retrying while the server is away (the Msg-Id drops repeats of
   * settling answers). `redispatch`: the stream sequence of a repeated dispatch it answers.
   */
  private async publish(subject: string, task: TaskRequest, answer: TaskAnswer, redispatch?: number): Promise<void> {
    const message: AnswerMessage = { executionArn: task.executionArn, taskId: task.taskId, answer };
    const first = answerMsgId(task.executionArn, task.taskId, answer);
    const msgID = first !== undefined && redispatch !== undefined ? `${first}@${redispatch}` : first;
    const data = encodeWire(message);
    await retrying(() => this.options.js.publish(subject, data, msgID !== undefined ? { msgID } : {}), this.forced.signal);
  }

  private error(error: unknown, what: string): void {
    this.options.onError?.(error, what);
  }
}

/** The durable consumer all workers of one adapter share. */
export const consumerName = (adapter: string): string => `aslan-worker-${adapter}`;

/** True when `work` settles within `ms`. */
async function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([work.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}
