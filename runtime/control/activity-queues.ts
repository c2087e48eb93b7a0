/**
 * Activities in memory: their task queues, waiting pollers and handed-out task tokens.
 * A Task whose Resource is an activity ARN is queued here instead of run; a worker takes it
 * with GetActivityTask (a long poll) and answers with SendTask* and the token it got.
 *
 * The token is the one the machine made with the task (TaskRequest.activityToken), stored
 * with its execution: after a restart the task comes again with the same token, so the
 * worker that took it before still answers it. A task a worker had taken (its ActivityStarted
 * is stored) is not queued again: as on AWS, one task goes to one worker, and a worker that
 * died is what HeartbeatSeconds and TimeoutSeconds are for.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_GetActivityTask.html
 */
import { randomBytes } from "node:crypto";
import { parseResource } from "../../translators/dataflow/resource.js";
import { STATES_ERRORS } from "../../translators/errors.js";
import type { Json } from "../../translators/json.js";
import { TaskDoesNotExist, TaskTimedOut } from "../engine/engine.js";
import type { TaskBus, TaskReply, TaskRequest } from "../ports/task-bus.js";
import type { ActivityEntry, ActivityRegistry, ActivityTask } from "./activity-registry.js";

/** AWS holds a GetActivityTask poll open for at most 60 seconds, then answers without a task. */
export const ACTIVITY_POLL_MS = 60_000;

/** Random bytes in the token of a task that comes without one (a TaskBus fed by hand, not by the engine). */
const TOKEN_BYTES = 48;

/** How many closed tokens are remembered (to answer TaskTimedOut rather than TaskDoesNotExist). */
const CLOSED_TOKENS_KEPT = 100_000;

export interface ActivityQueuesOptions {
  /** How long GetActivityTask waits for a task (ACTIVITY_POLL_MS unless given; tests use less). */
  readonly pollMs?: number;
}

interface QueuedTask {
  readonly task: TaskRequest;
  readonly token: string;
  /** The latest dispatch's: a task dispatched again (its execution read again from the store) answers through the new run. */
  reply: TaskReply;
}

interface Poller {
  readonly signal: AbortSignal;
  /** Hands `queued` to this poller (it stops waiting). */
  take(queued: QueuedTask): void;
  /** Ends the poll without a task. */
  release(): void;
}

export class ActivityQueues implements ActivityRegistry {
  private readonly pollMs: number;
  private readonly activities = new Map<string, ActivityEntry>();
  /** Tasks no worker has taken yet, oldest first, by activity ARN. */
  private readonly queues = new Map<string, QueuedTask[]>();
  /** The same tasks, by task token. */
  private readonly queued = new Map<string, QueuedTask>();
  /** Open GetActivityTask polls, oldest first, by activity ARN. */
  private readonly pollers = new Map<string, Poller[]>();
  /** Tasks handed to a worker and not yet answered, by task token. */
  private readonly tokens = new Map<string, TaskReply>();
  /** Tokens whose task was answered, timed out or ended with its execution, oldest first. */
  private readonly closedTokens = new Set<string>();

  constructor(options: ActivityQueuesOptions = {}) {
    this.pollMs = options.pollMs ?? ACTIVITY_POLL_MS;
  }

  /** A TaskBus that queues tasks for activity ARNs here and passes everything else to `inner`. */
  route(inner: TaskBus): TaskBus {
    return {
      dispatch: (task, reply) => (parseResource(task.resource).kind === "activity" ? this.schedule(task, reply) : inner.dispatch(task, reply)),
      busy: () => inner.busy?.() ?? false,
    };
  }

  get(arn: string): ActivityEntry | undefined {
    return this.activities.get(arn);
  }

  add(entry: ActivityEntry): ActivityEntry {
    const existing = this.activities.get(entry.arn);
    if (existing) return existing;
    this.activities.set(entry.arn, entry);
    return entry;
  }

  delete(arn: string): void {
    this.activities.delete(arn);
    for (const poller of this.pollers.get(arn) ?? []) poller.release();
    this.pollers.delete(arn);
  }

  list(): readonly ActivityEntry[] {
    return [...this.activities.values()];
  }

  poll(arn: string, workerName: string | undefined, signal: AbortSignal): Promise<ActivityTask | undefined> {
    const queued = this.nextOpen(arn);
    if (queued) return Promise.resolve(this.handOut(queued, workerName));
    if (signal.aborted) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const end = (task: ActivityTask | undefined): void => {
        clearTimeout(timer);
        signal.removeEventListener("abort", release);
        this.removePoller(arn, poller);
        resolve(task);
      };
      const release = (): void => end(undefined);
      const poller: Poller = { signal, take: (q) => end(this.handOut(q, workerName)), release };
      const timer = setTimeout(release, this.pollMs);
      // A poller whose client has gone must never be handed a task: it would be lost.
      signal.addEventListener("abort", release, { once: true });
      this.pollers.set(arn, [...(this.pollers.get(arn) ?? []), poller]);
    });
  }

  ownsToken(token: string): boolean {
    return this.tokens.has(token) || this.queued.has(token) || this.closedTokens.has(token);
  }

  succeed(token: string, output: Json): void {
    this.settle(token).succeeded(output);
  }

  fail(token: string, error?: string, cause?: string): void {
    this.settle(token).failed(error ?? "", cause);
  }

  heartbeat(token: string): void {
    this.openReply(token).heartbeat();
  }

  /**
   * A task for an activity: straight to the oldest live poller, else to the back of the queue;
   * one a worker had before a restart waits for that worker's answer.
   */
  private schedule(task: TaskRequest, reply: TaskReply): void {
    const arn = task.resource;
    if (!this.activities.has(arn)) {
      // AWS fails the execution with States.Runtime (not catchable) when the activity is gone.
      reply.failed(STATES_ERRORS.Runtime, `The activity ${arn} does not exist.`);
      return;
    }
    const token = task.activityToken ?? randomBytes(TOKEN_BYTES).toString("base64url");
    if (this.dispatchedAgain(token, reply)) return;
    // The engine dispatches only tasks its execution waits for: that decides, not an old close.
    this.closedTokens.delete(token);
    if (task.started) return void this.tokens.set(token, reply);
    const queued: QueuedTask = { task, token, reply };
    const poller = this.pollers.get(arn)?.find((p) => !p.signal.aborted);
    if (poller) return poller.take(queued);
    const queue = (this.queues.get(arn) ?? []).filter((q) => this.stillOpen(q));
    queue.push(queued);
    this.queues.set(arn, queue);
    this.queued.set(token, queued);
  }

  /** A task this process holds already (its execution was read again from the store): it stays where it is, answered through the new reply. */
  private dispatchedAgain(token: string, reply: TaskReply): boolean {
    const queued = this.queued.get(token);
    if (queued) queued.reply = reply;
    else if (this.tokens.has(token)) this.tokens.set(token, reply);
    else return false;
    return true;
  }

  /** Takes the oldest queued task that its execution still waits for; closed ones are dropped. */
  private nextOpen(arn: string): QueuedTask | undefined {
    const queue = this.queues.get(arn);
    let next: QueuedTask | undefined;
    while (queue && queue.length > 0 && !next) {
      const head = queue.shift() as QueuedTask;
      this.queued.delete(head.token);
      if (this.stillOpen(head)) next = head;
    }
    if (queue?.length === 0) this.queues.delete(arn);
    return next;
  }

  /** False for a queued task its execution no longer waits for: its token closes (TaskTimedOut). */
  private stillOpen(queued: QueuedTask): boolean {
    if (queued.reply.isOpen()) return true;
    this.queued.delete(queued.token);
    this.closeToken(queued.token);
    return false;
  }

  /** Gives a task to a worker: its token, ActivityStarted with the worker's name. */
  private handOut(queued: QueuedTask, workerName: string | undefined): ActivityTask {
    this.closeDeadTokens();
    this.tokens.set(queued.token, queued.reply);
    queued.reply.started(workerName !== undefined ? { workerName } : undefined);
    return { taskToken: queued.token, input: JSON.stringify(queued.task.payload) };
  }

  /**
   * A queued task answered by its token: a worker took it before a restart that lost its
   * ActivityStarted. That worker has it now; nobody else gets it.
   */
  private claim(token: string): TaskReply | undefined {
    const queued = this.queued.get(token);
    if (!queued) return undefined;
    this.queued.delete(token);
    const arn = queued.task.resource;
    const rest = (this.queues.get(arn) ?? []).filter((q) => q !== queued);
    if (rest.length > 0) this.queues.set(arn, rest);
    else this.queues.delete(arn);
    this.tokens.set(token, queued.reply);
    if (queued.reply.isOpen()) queued.reply.started();
    return queued.reply;
  }

  /**
   * The reply of a token whose task still waits for an answer. TaskTimedOut once it has closed
   * (answered, timed out, execution ended), TaskDoesNotExist for a token never handed out (AWS).
   */
  private openReply(token: string): TaskReply {
    const reply = this.tokens.get(token) ?? this.claim(token);
    if (reply?.isOpen()) return reply;
    if (reply) this.closeToken(token);
    if (this.closedTokens.has(token)) throw new TaskTimedOut("Provided task does not exist anymore");
    throw new TaskDoesNotExist("Provided task does not exist");
  }

  /** Like openReply, and the token is used up. */
  private settle(token: string): TaskReply {
    const reply = this.openReply(token);
    this.closeToken(token);
    return reply;
  }

  private closeToken(token: string): void {
    this.tokens.delete(token);
    this.closedTokens.add(token);
    if (this.closedTokens.size > CLOSED_TOKENS_KEPT) this.closedTokens.delete(this.closedTokens.values().next().value as string);
  }

  /** Tokens of tasks that timed out or whose execution ended will never be answered: close them. */
  private closeDeadTokens(): void {
    for (const [token, reply] of this.tokens) if (!reply.isOpen()) this.closeToken(token);
  }

  private removePoller(arn: string, poller: Poller): void {
    const rest = (this.pollers.get(arn) ?? []).filter((p) => p !== poller);
    if (rest.length > 0) this.pollers.set(arn, rest);
    else this.pollers.delete(arn);
  }
}
