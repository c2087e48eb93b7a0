/**
 * Activities in distributed mode (ARCHITECTURE.md "Distributed mode"): a task for an activity
 * goes to a JetStream work queue (ACTIVITIES_STREAM, `aslan.activities.<hash of its ARN>`,
 * Msg-Id `${executionArn}#${taskId}`), and GetActivityTask on any node takes it from there.
 * The token a worker gets names the execution (translators/xstate/task-token.ts) and a KV
 * entry names the task (jetstream-activity-tokens.ts), so SendTask* on any node applies the
 * answer the way workers' answers are applied (`engine.applyAnswer`); the engine's timers
 * enforce TimeoutSeconds and HeartbeatSeconds as for any task.
 *
 * The activities' entries stay with this node's stored registry (`host.local`), and so do
 * the tasks of its Express executions (a Distributed Map's EXPRESS children: Express state
 * machines themselves cannot use activities), which live only here.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_GetActivityTask.html
 */
import { createHash } from "node:crypto";
import { RetentionPolicy, StorageType, type Consumer, type JsMsg } from "@nats-io/jetstream";
import { parseResource } from "../../translators/dataflow/resource.js";
import { STATES_ERRORS } from "../../translators/errors.js";
import type { Json } from "../../translators/json.js";
import { newTaskToken } from "../../translators/xstate/task-token.js";
import type { ActivityEntry, ActivityTask } from "../control/activity-registry.js";
import type { RoutedActivities, SharedActivitiesHost } from "../control/shared-activities.js";
import { TaskDoesNotExist, TaskTimedOut } from "../engine/engine.js";
import type { TaskAnswer, TaskBus, TaskReply, TaskRequest } from "../ports/task-bus.js";
import { ActivityPollers, type ActivityPoll } from "./jetstream-activity-pollers.js";
import { ActivityTokens, type ActivityTaskRef } from "./jetstream-activity-tokens.js";
import { ensureStream, retrying, type JetStreamLink } from "./jetstream-connection.js";
import { ensurePullConsumer } from "./jetstream-pull-loop.js";
import { decodeWire, encodeWire } from "./wire-codec.js";
import { DUPLICATE_WINDOW_NS, taskMsgId } from "./wire.js";

/** Work-queue stream of activity tasks, one subject per activity. */
export const ACTIVITIES_STREAM = "ASLAN_ACTIVITIES";
const SUBJECT_ROOT = "aslan.activities";
/** Subjects and consumer names allow few characters, and ARNs have others: a hash. */
const activityKey = (arn: string): string => createHash("sha256").update(arn).digest("hex").slice(0, 32);
export const activitySubject = (arn: string): string => `${SUBJECT_ROOT}.${activityKey(arn)}`;
/** The durable consumer every node pulls the activity's tasks from. */
export const activityConsumer = (arn: string): string => `aslan-activity-${activityKey(arn)}`;

/** How long a node may hold a pulled task unacknowledged (handing it out takes milliseconds) before another node gets it. */
const ACK_WAIT_MS = 10_000;
/** An answer that did not land (another node wrote the execution meanwhile) is applied again after this long, this many times at most. */
const ANSWER_RETRY_MS = 20;
const ANSWER_ATTEMPTS = 100;

/** An activity task on the wire. */
interface ActivityTaskMessage {
  readonly task: TaskRequest;
}

/** Express executions (`…:express:…`) live only in the node that runs them: their tasks stay in its memory, as their answers do (jetstream-task-bus.ts). */
const isExpress = (executionArn: string): boolean => executionArn.includes(":express:");

export class JetStreamActivities implements RoutedActivities {
  private readonly tokens: ActivityTokens;
  private readonly pollers = new Map<string, ActivityPollers>();
  private readonly consumers = new Map<string, Promise<Consumer>>();
  private readonly publishing = new Set<Promise<void>>();
  private readonly closing = new AbortController();
  private stream: Promise<void> | undefined;

  constructor(
    private readonly link: JetStreamLink,
    private readonly host: SharedActivitiesHost,
  ) {
    this.tokens = new ActivityTokens(link.js);
  }

  get(arn: string): ActivityEntry | undefined {
    return this.host.local.get(arn);
  }

  add(entry: ActivityEntry): ActivityEntry {
    return this.host.local.add(entry);
  }

  /** Polls waiting here end at once; on other nodes, once their registries hear of it (within 2 s). */
  delete(arn: string): void {
    this.host.local.delete(arn);
    void this.pollers.get(arn)?.close();
    this.pollers.delete(arn);
  }

  list(): readonly ActivityEntry[] {
    return this.host.local.list();
  }

  route(inner: TaskBus): TaskBus {
    const local = this.host.local.route(inner);
    return {
      dispatch: (task, reply) => {
        const shared = parseResource(task.resource).kind === "activity" && !isExpress(task.executionArn);
        return shared ? this.schedule(task, reply) : local.dispatch(task, reply);
      },
      busy: () => inner.busy?.() ?? false,
    };
  }

  /**
   * A task from this node's memory (its Express executions) or from the shared queue,
   * whichever comes first; the other side's is never handed out too (ActivityPoll.commit).
   */
  async poll(arn: string, workerName: string | undefined, signal: AbortSignal): Promise<ActivityTask | undefined> {
    const ended = new AbortController();
    const end = (): void => ended.abort();
    signal.addEventListener("abort", end, { once: true });
    const timer = setTimeout(end, this.host.pollMs);
    try {
      const local = this.host.local.poll(arn, workerName, ended.signal);
      // The local side ends the whole poll: with a task, or without one when its time is up or
      // the activity is deleted (here, or on another node: this node's registry then drops it).
      void local.then(end);
      const poll: ActivityPoll = {
        signal: ended.signal,
        workerName,
        commit: async () => {
          if (ended.signal.aborted) return false;
          end(); // the local poll ends at once, unless it has just been handed a task
          return (await local) === undefined;
        },
      };
      const shared = await this.pollersOf(arn).wait(poll);
      return (await local) ?? shared;
    } finally {
      clearTimeout(timer);
      signal.removeEventListener("abort", end);
    }
  }

  async ownsToken(token: string): Promise<boolean> {
    return this.host.local.ownsToken(token) || (await this.tokens.lookup(token)) !== undefined;
  }

  async succeed(token: string, output: Json): Promise<void> {
    if (this.host.local.ownsToken(token)) return this.host.local.succeed(token, output);
    await this.answer(token, { type: "succeeded", output });
  }

  async fail(token: string, error?: string, cause?: string): Promise<void> {
    if (this.host.local.ownsToken(token)) return this.host.local.fail(token, error, cause);
    await this.answer(token, { type: "failed", error: error ?? "", ...(cause !== undefined ? { cause } : {}) });
  }

  async heartbeat(token: string): Promise<void> {
    if (this.host.local.ownsToken(token)) return this.host.local.heartbeat(token);
    const task = await this.answer(token, { type: "heartbeat" });
    await this.tokens.touch(token, task);
  }

  /** Stops handing out tasks; waits for dispatches still being published (they give up once the link is gone). */
  async close(): Promise<void> {
    await Promise.all([...this.pollers.values()].map((p) => p.close()));
    this.pollers.clear();
    this.closing.abort();
    while (this.publishing.size > 0) await Promise.allSettled([...this.publishing]);
  }

  /** Publishes the task to its activity's queue; AWS fails the execution with States.Runtime (not catchable) when the activity is gone. */
  private schedule(task: TaskRequest, reply: TaskReply): void {
    const published: Promise<void> = this.known(task.resource)
      .then((known) => (known ? this.publish(task) : reply.failed(STATES_ERRORS.Runtime, `The activity ${task.resource} does not exist.`)))
      .catch((error: unknown) => this.host.onError(error, `dispatching activity task ${task.taskId} of ${task.executionArn}`))
      .finally(() => this.publishing.delete(published));
    this.publishing.add(published);
  }

  /** Whether the activity exists; another node may have created it since this one last read the registries. */
  private async known(arn: string): Promise<boolean> {
    if (this.host.local.get(arn)) return true;
    await this.host.refresh();
    return this.host.local.get(arn) !== undefined;
  }

  /** Retried while the server is away; the Msg-Id makes a repeated dispatch (a reloaded execution) a no-op. */
  private async publish(task: TaskRequest): Promise<void> {
    const signal = this.closing.signal;
    await retrying(() => this.ensureStream(), signal);
    const message: ActivityTaskMessage = { task };
    const data = encodeWire(message);
    await retrying(() => this.link.js.publish(activitySubject(task.resource), data, { msgID: taskMsgId(task.executionArn, task.taskId) }), signal);
  }

  /**
   * Gives a pulled task to a poll: dropped when its execution no longer waits for it (timed
   * out, retried, ended: AWS hands those to nobody) or when it was handed out already (a
   * claim exists); else claimed under a fresh token, acked, and ActivityStarted recorded.
   */
  private async handOut(msg: JsMsg, poll: ActivityPoll): Promise<ActivityTask | "again" | undefined> {
    let task: TaskRequest;
    try {
      task = decodeWire<ActivityTaskMessage>(msg.data, "activity task").task;
    } catch (error) {
      msg.term(); // it would never decode: keep it from coming back
      this.host.onError(error, `activity task ${msg.seq} dropped`);
      return "again";
    }
    const ref: ActivityTaskRef = { executionArn: task.executionArn, taskId: task.taskId };
    const token = newTaskToken(task.executionArn, () => this.host.engine().uuid());
    try {
      if (!(await this.waitsFor(ref))) return await msg.ackAck().then(() => "again" as const);
      if (poll.signal.aborted) {
        msg.nak(); // its client went away: back to the queue for another poll
        return undefined;
      }
      if (!(await this.tokens.claim(ref, token, msg.seq))) return await msg.ackAck().then(() => "again" as const);
    } catch (error) {
      msg.nak(ANSWER_RETRY_MS);
      throw error;
    }
    if (!(await poll.commit())) {
      msg.nak(); // the poll ended meanwhile: the task goes back for another
      await this.tokens.release(ref, token).catch((error: unknown) => this.host.onError(error, `releasing the claim on task ${ref.taskId}`));
      return undefined;
    }
    // The worker has it now: a lost ack brings the message back, and the claim drops it then.
    await this.tokens.handedOut(ref, token, msg.seq).catch((error: unknown) => this.host.onError(error, `marking activity task ${ref.taskId} handed out`));
    await msg.ackAck().catch((error: unknown) => this.host.onError(error, `acknowledging activity task ${msg.seq}`));
    await this.applied(ref, { type: "started", ...(poll.workerName !== undefined ? { workerName: poll.workerName } : {}) })
      .catch((error: unknown) => this.host.onError(error, `recording ActivityStarted for task ${ref.taskId} of ${ref.executionArn}`));
    return { taskToken: token, input: JSON.stringify(task.payload) };
  }

  /**
   * A worker's answer by token: TaskDoesNotExist for a token no node handed out, TaskTimedOut
   * once its task no longer waits (answered, timed out, its execution ended). Resolves once
   * the step it caused is stored.
   */
  private async answer(token: string, answer: TaskAnswer): Promise<ActivityTaskRef> {
    const task = await this.tokens.lookup(token);
    if (!task) throw new TaskDoesNotExist("Provided task does not exist");
    for (let attempt = 1; ; attempt++) {
      if (!(await this.waitsFor(task))) throw new TaskTimedOut("Provided task does not exist anymore");
      if ((await this.host.engine().applyAnswer(task.executionArn, task.taskId, answer)) === "done") return task;
      if (attempt >= ANSWER_ATTEMPTS) throw new Error(`the answer for task ${task.taskId} of ${task.executionArn} did not land after ${attempt} attempts`);
      await pause(ANSWER_RETRY_MS);
    }
  }

  /** Applies an answer whether or not its task still waits (the engine ignores it then). */
  private async applied(task: ActivityTaskRef, answer: TaskAnswer): Promise<void> {
    for (let attempt = 1; (await this.host.engine().applyAnswer(task.executionArn, task.taskId, answer)) === "retry"; attempt++) {
      if (attempt >= ANSWER_ATTEMPTS) throw new Error(`the ${answer.type} answer did not land after ${attempt} attempts`);
      await pause(ANSWER_RETRY_MS);
    }
  }

  /** True while the task's execution, as stored, still waits for it. */
  private async waitsFor(task: ActivityTaskRef): Promise<boolean> {
    const run = await this.host.engine().loadExecution(task.executionArn);
    return run !== undefined && run.status === "RUNNING" && run.actorImages().some((actor) => run.awaitsTask(actor.id, task.taskId));
  }

  private pollersOf(arn: string): ActivityPollers {
    let pollers = this.pollers.get(arn);
    if (!pollers) {
      pollers = new ActivityPollers({ consumer: () => this.consumerOf(arn), handOut: (msg, poll) => this.handOut(msg, poll), onError: this.host.onError });
      this.pollers.set(arn, pollers);
    }
    return pollers;
  }

  /** The activity's durable consumer, shared by every node (made at first use; tried again after a failure). */
  private consumerOf(arn: string): Promise<Consumer> {
    let consumer = this.consumers.get(arn);
    if (!consumer) {
      const name = activityConsumer(arn);
      consumer = this.ensureStream()
        .then(() => ensurePullConsumer(this.link.jsm, ACTIVITIES_STREAM, { name, filterSubject: activitySubject(arn), ackWaitMs: ACK_WAIT_MS }))
        .then(() => this.link.js.consumers.get(ACTIVITIES_STREAM, name));
      consumer.catch(() => this.consumers.delete(arn));
      this.consumers.set(arn, consumer);
    }
    return consumer;
  }

  /** The work-queue stream, made (or updated) at first use. */
  private ensureStream(): Promise<void> {
    this.stream ??= ensureStream(this.link.jsm, {
      name: ACTIVITIES_STREAM, subjects: [`${SUBJECT_ROOT}.>`],
      retention: RetentionPolicy.Workqueue, storage: StorageType.File, duplicate_window: DUPLICATE_WINDOW_NS,
    }).catch((error: unknown) => {
      this.stream = undefined;
      throw error;
    });
    return this.stream;
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
