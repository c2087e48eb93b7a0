/**
 * A runtime node of distributed mode (ARCHITECTURE.md "Distributed mode"): the ports on
 * JetStream that `aslan serve --nats` gives its engine. Executions live in the shared KV
 * store, timers are due-time messages any node may take, tasks go to adapter workers on
 * work queues, and their answers come back through a queue every node pulls from. The node
 * itself keeps nothing another node could need.
 */
import { randomUUID } from "node:crypto";
import type { Clock } from "../ports/clock.js";
import type { TaskAnswer } from "../ports/task-bus.js";
import { connectJetStream, type JetStreamLink } from "./jetstream-connection.js";
import { JetStreamExecutionStore } from "./jetstream-execution-store.js";
import { ensureTaskStreams, JetStreamTaskBus } from "./jetstream-task-bus.js";
import { JetStreamTimers } from "./jetstream-timers.js";

export interface JetStreamNodeOptions {
  /** NATS server URLs, comma-separated. */
  readonly servers: string;
  readonly clock: Clock;
  /** Where failures that reach no caller go (a publish that failed, a handler that threw). */
  readonly onError: (error: unknown, what: string) => void;
}

/** What applies a worker's answer: the engine's `applyAnswer`. */
export type AnswerSink = (executionArn: string, taskId: string, answer: TaskAnswer) => Promise<"done" | "retry">;

/** How long a node may hold a due timer before another node gets it: bounds how long a dead node's timers wait. */
const NODE_ACK_WAIT_MS = 10_000;

export class JetStreamNode {
  private constructor(
    readonly link: JetStreamLink,
    readonly nodeId: string,
    readonly store: JetStreamExecutionStore,
    readonly timers: JetStreamTimers,
    readonly bus: JetStreamTaskBus,
    private readonly clock: Clock,
  ) {}

  static async open(options: JetStreamNodeOptions): Promise<JetStreamNode> {
    const link = await connectJetStream({ servers: options.servers, name: "aslan-node" });
    try {
      const nodeId = randomUUID().slice(0, 8);
      await ensureTaskStreams(link.jsm);
      const store = await JetStreamExecutionStore.open({ link });
      const timers = new JetStreamTimers({ link, store, clock: options.clock, ackWaitMs: NODE_ACK_WAIT_MS, onError: (error, timer) => options.onError(error, `timer ${timer?.timerId ?? "?"}`) });
      const bus = new JetStreamTaskBus({ js: link.js, jsm: link.jsm, nodeId, now: () => options.clock.now(), onError: options.onError });
      return new JetStreamNode(link, nodeId, store, timers, bus, options.clock);
    } catch (error) {
      await link.nc.close();
      throw error;
    }
  }

  /**
   * Calls `then` each time the connection comes back after losing the server (a restart, a
   * crash: the node then puts every running execution back to work, `Engine.resync`).
   */
  onReconnect(then: () => void): void {
    void (async () => {
      for await (const status of this.link.nc.status()) {
        if (status.type !== "reconnect") continue;
        // Messages republished from now on must not be dropped as repeats of ones the crashed server may have lost.
        this.timers.reconnected();
        this.bus.reconnected(this.clock.now());
        then();
      }
    })();
  }

  /** Starts taking workers' answers (once the engine has started). */
  consumeAnswers(sink: AnswerSink): Promise<void> {
    return this.bus.consumeAnswers((message) => sink(message.executionArn, message.taskId, message.answer));
  }

  /** After the engine has closed: stops the bus, the store, then the connection (draining what it buffered). */
  async close(): Promise<void> {
    await this.bus.close();
    await this.store.close();
    await this.link.nc.drain().catch(() => undefined);
  }
}
