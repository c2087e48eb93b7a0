/**
 * JetStreamTimers on a real nats-server: the TimerService contract, then what only a shared
 * queue does: a one-year timer is one stored message, a backlog of far timers does not block
 * a near one, two nodes fire each timer once between them, and timers survive a `kill -9`
 * of the server. Each test has its own namespace (stream, subject, consumer).
 *
 * The timer records live in the store the service is given: the contract (and the two-node
 * case) runs over a MemoryExecutionStore with a `getTimer` read from its due-time index
 * (`openTimerStore`) and over the JetStreamExecutionStore of distributed mode.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SystemClock } from "../../runtime/clock/system-clock.js";
import { connectJetStream, type JetStreamLink } from "../../runtime/nats/jetstream-connection.js";
import { timerQueueNames } from "../../runtime/nats/jetstream-timer-queue.js";
import { JetStreamExecutionStore } from "../../runtime/nats/jetstream-execution-store.js";
import { JetStreamTimers, type TimerStore } from "../../runtime/nats/jetstream-timers.js";
import type { Clock } from "../../runtime/ports/clock.js";
import type { TimerRecord } from "../../runtime/ports/execution-store.js";
import type { TimerServiceV2 } from "../../runtime/ports/timer-service-v2.js";
import { MemoryExecutionStore } from "../../runtime/stores/memory-execution-store.js";
import { recordedSubject, recorder, timerServiceContract, type TimerSubject } from "../contracts/timer-service.contract.js";
import { startNatsServer, type NatsServer } from "../support/nats-server.js";

let server: NatsServer;
/** The file's own connection, for stream admin and consumer info. */
let admin: JetStreamLink;
let n = 0;
const namespace = (): string => `t${++n}`;

beforeAll(async () => {
  server = await startNatsServer();
  admin = await connectJetStream({ servers: server.url, name: "timers-test-admin" });
}, 30_000);

afterAll(async () => {
  await admin?.nc.close();
  await server?.stop();
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `condition` holds; fails the test after `ms`. */
async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** A store the service can read, and what the contract needs of it. */
interface OpenedStore {
  readonly timers: TimerStore;
  /** Overwrites a timer record with bytes that do not decode. */
  corrupt(timerId: string): Promise<void>;
  close(): Promise<void>;
}

/** The shared store of distributed mode, in buckets of its own on the file's server. */
async function openJetStreamStore(prefix: string): Promise<OpenedStore> {
  const store = await JetStreamExecutionStore.open({ link: admin, prefix });
  return { timers: store, corrupt: (timerId) => store.writeRawRecord("timer", timerId, Uint8Array.of(0xc1)), close: () => store.close() };
}

/** A MemoryExecutionStore with `getTimer` read page by page from its due-time index. */
function openTimerStore(): OpenedStore {
  const store = new MemoryExecutionStore();
  const getTimer = async (timerId: string): Promise<TimerRecord | undefined> => {
    let cursor: string | undefined;
    do {
      const page = await store.timersDue(Infinity, cursor === undefined ? {} : { cursor });
      const found = page.items.find((t) => t.timerId === timerId);
      if (found) return found;
      cursor = page.cursor;
    } while (cursor !== undefined);
    return undefined;
  };
  return {
    timers: { updateTimers: (c) => store.updateTimers(c), timersDue: (time, page) => store.timersDue(time, page), getTimer },
    corrupt: (timerId) => store.writeRawRecord("timer", timerId, Uint8Array.of(0xc1)),
    close: () => store.close(),
  };
}

const stored = async (store: OpenedStore): Promise<string[]> => (await store.timers.timersDue(Infinity)).items.map((t) => t.timerId);

/**
 * Real time that passes only while a test advances it. JetStream wakes timers in real time,
 * so the clock must run; pausing it between advances means the time a test spends acting
 * (scheduling, restarting a node) is not counted, and a restart taking 30 ms on a busy
 * machine cannot make a timer due before the contract looks.
 */
class SteppedClock implements Clock {
  private base: number;
  private since: number | undefined;
  private limit = 0;

  constructor(start: number) {
    this.base = start;
  }

  now(): number {
    return this.since === undefined ? this.base : Math.min(this.limit, this.base + (Date.now() - this.since));
  }

  /** Lets real time pass on this clock, up to `limit`. */
  run(limit: number): void {
    this.since = Date.now();
    this.limit = limit;
  }

  /** Stops the clock at `time`. */
  stopAt(time: number): void {
    this.base = time;
    this.since = undefined;
  }
}

/** The longest span `advance` really waits; the contract's 120 s (a failed handler's retry) is covered by the 200 ms retry delay. */
const MAX_REAL_ADVANCE_MS = 1_000;

interface Node {
  readonly service: JetStreamTimers;
  readonly link: JetStreamLink;
}

/** One runtime node: its own connection and service over the shared stream and store. */
async function startNode(ns: string, store: OpenedStore, clock: Clock, onError: (e: unknown) => void, onFire: (t: TimerRecord) => Promise<void>): Promise<Node> {
  const link = await connectJetStream({ servers: server.url, name: `timers-test-${ns}` });
  // A 5 s ack wait (production nodes: 10 s): a delivery the client drops (a pull it ended as the
  // server answered it, which a starved event loop makes likelier) comes back within the cases' waits.
  const service = new JetStreamTimers({ link, store: store.timers, clock, namespace: ns, retryDelayMs: 200, ackWaitMs: 5_000, onError });
  await service.start(onFire);
  return { service, link };
}

async function stopNode(node: Node): Promise<void> {
  await node.service.close();
  await node.link.nc.close();
}

const subjects = new WeakMap<TimerSubject, { ns: string; store: OpenedStore; node: () => Node | undefined }>();

async function build(ns: string, store: OpenedStore, clock: SteppedClock): Promise<TimerSubject> {
  const errors: unknown[] = [];
  const rec = recorder(() => clock.now());
  const node = await startNode(ns, store, clock, (e) => void errors.push(e), rec.onFire);
  let closed = false;
  const service: TimerServiceV2 = {
    start: () => Promise.reject(new Error("started by the harness")),
    schedule: (t) => node.service.schedule(t),
    cancel: (id) => node.service.cancel(id),
    committed: (c) => node.service.committed(c),
    close: async () => {
      if (closed) return;
      closed = true;
      await stopNode(node);
    },
  };
  // Every stored timer due by now was delivered (to the handler) since `from`.
  const delivered = async (from: number): Promise<boolean> => {
    const due = (await store.timers.timersDue(clock.now())).items;
    return due.every((t) => rec.fired.slice(from).some((f) => f.timerId === t.timerId && f.dueAt === t.dueAt));
  };
  const advance = async (ms: number): Promise<void> => {
    const from = rec.fired.length;
    const target = clock.now() + ms;
    const began = Date.now();
    const span = Math.min(ms, MAX_REAL_ADVANCE_MS);
    clock.run(target);
    // Let the span pass, then wait (bounded) for the deliveries it made due.
    for (const deadline = began + span + 10_000; Date.now() < deadline; await sleep(5)) {
      if (Date.now() - began >= span && (closed || (await delivered(from)))) break;
    }
    clock.stopAt(target);
    if (!closed) await node.service.idle();
  };
  const s: TimerSubject = recordedSubject(service, rec, {
    now: () => clock.now(),
    advance,
    persist: (changes) => store.timers.updateTimers(changes),
    restart: async () => {
      await service.close();
      return build(ns, store, clock);
    },
    stored: () => stored(store),
    corrupt: (timerId) => store.corrupt(timerId),
    errors,
    // No `jump`, `armedCount` or `pendingTimeouts`: JetStream wakes timers in real time, so a
    // clock cannot skip ahead of it, and no timer is ever armed in memory. The one-year case
    // is covered below on the stream itself.
  });
  subjects.set(s, { ns, store, node: () => (closed ? undefined : node) });
  return s;
}

/** The contract over one store; a restart keeps the store (it stands for the shared one every node sees). */
function contractOver(name: string, open: (ns: string) => Promise<OpenedStore>): void {
  const closedStores = new WeakSet<OpenedStore>();
  timerServiceContract({
    name: `JetStreamTimers over ${name}`,
    exact: false,
    create: async () => {
      const ns = namespace();
      return build(ns, await open(ns), new SteppedClock(Date.now()));
    },
    dispose: async (s) => {
      const { ns, store, node } = subjects.get(s) ?? {};
      const open = node?.();
      if (open) await stopNode(open);
      await admin.jsm.streams.delete(timerQueueNames(ns).stream).catch(() => false);
      if (store && !closedStores.has(store)) {
        closedStores.add(store);
        await store.close();
      }
    },
  });
}

contractOver("MemoryExecutionStore", async () => openTimerStore());
contractOver("JetStreamExecutionStore", openJetStreamStore);

const timer = (timerId: string, dueAt: number): TimerRecord => ({ timerId, dueAt, payload: { timerId } });
const DAY = 86_400_000;

describe("JetStreamTimers on a shared queue", () => {
  const clock = new SystemClock();

  it("keeps a one-year timer as one message the server holds back, nothing in memory", async () => {
    const ns = namespace();
    const store = openTimerStore();
    const fired: string[] = [];
    const errors: unknown[] = [];
    const node = await startNode(ns, store, clock, (e) => void errors.push(e), async (t) => void fired.push(t.timerId));
    try {
      await node.service.schedule(timer("year", clock.now() + 365 * DAY));
      const names = timerQueueNames(ns);
      // Delivered once, nak'ed with the year that remains: pending on the server, not redelivered.
      await until(async () => (await admin.jsm.consumers.info(names.stream, names.consumer)).delivered.consumer_seq >= 1, "the first delivery");
      await node.service.idle();
      await sleep(300);
      const info = await admin.jsm.consumers.info(names.stream, names.consumer);
      expect([info.num_ack_pending, info.num_pending, info.num_redelivered]).toEqual([1, 0, 0]);
      expect((await admin.jsm.streams.info(names.stream)).state.messages).toBe(1);
      expect(await stored(store)).toEqual(["year"]);
      expect([fired, errors]).toEqual([[], []]);
    } finally {
      await stopNode(node);
    }
  });

  it("delivers a near timer behind more than a thousand far ones", async () => {
    const ns = namespace();
    const store = openTimerStore();
    const fired: string[] = [];
    const errors: unknown[] = [];
    const node = await startNode(ns, store, clock, (e) => void errors.push(e), async (t) => void fired.push(t.timerId));
    try {
      const far = Array.from({ length: 1_050 }, (_, i) => timer(`far-${i}`, clock.now() + 365 * DAY + i));
      for (let i = 0; i < far.length; i += 150) await Promise.all(far.slice(i, i + 150).map((t) => node.service.schedule(t)));
      const names = timerQueueNames(ns);
      // All far timers are waiting as unacknowledged messages before the near one is set.
      await until(async () => (await admin.jsm.consumers.info(names.stream, names.consumer)).num_ack_pending === far.length, "far timers pending");
      await node.service.schedule(timer("near", clock.now() + 50));
      await until(() => fired.includes("near"), "the near timer");
      expect([fired, errors]).toEqual([["near"], []]);
    } finally {
      await stopNode(node);
    }
  }, 60_000);

  it("fires a timer set again with the due time of a message already dropped", async () => {
    const ns = namespace();
    const store = openTimerStore();
    const fired: string[] = [];
    const errors: unknown[] = [];
    const node = await startNode(ns, store, clock, (e) => void errors.push(e), async (t) => void fired.push(t.timerId));
    try {
      const again = timer("again", clock.now() + 200);
      await node.service.schedule(again);
      await node.service.cancel("again");
      const names = timerQueueNames(ns);
      await until(async () => (await admin.jsm.streams.info(names.stream)).state.messages === 0, "the cancelled timer's message dropped");
      // Same Msg-Id as the dropped message: within the duplicate window, yet it must fire.
      await node.service.schedule(again);
      await until(() => fired.length > 0, "the timer set again");
      await until(async () => (await stored(store)).length === 0, "its acknowledgement");
      expect([fired, errors]).toEqual([["again"], []]);
    } finally {
      await stopNode(node);
    }
  });

  it.each([
    ["MemoryExecutionStore", async (): Promise<OpenedStore> => openTimerStore()],
    ["JetStreamExecutionStore", openJetStreamStore],
  ] as const)("fires each timer exactly once across two nodes (over %s)", async (_name, open) => {
    const ns = namespace();
    const store = await open(ns);
    const fired: { node: string; timerId: string; at: number; dueAt: number }[] = [];
    const errors: unknown[] = [];
    const onFire = (name: string) => async (t: TimerRecord): Promise<void> => {
      fired.push({ node: name, timerId: t.timerId, at: clock.now(), dueAt: t.dueAt });
      await sleep(5); // handlers overlap: a node keeps pulling while one runs
    };
    const a = await startNode(ns, store, clock, (e) => void errors.push(e), onFire("a"));
    const b = await startNode(ns, store, clock, (e) => void errors.push(e), onFire("b"));
    try {
      const t0 = clock.now();
      const timers = Array.from({ length: 60 }, (_, i) => timer(`t${i}`, t0 + 100 + (i % 12) * 200));
      for (const [i, t] of timers.entries()) {
        if (i % 3 === 0) await a.service.schedule(t);
        else if (i % 3 === 1) await b.service.schedule(t);
        else {
          // As an engine commit would: the record first, then the node only publishes.
          await store.timers.updateTimers({ set: [t] });
          a.service.committed({ set: [t] });
        }
      }
      await until(async () => (await stored(store)).length === 0, "every timer fired and acknowledged");
      await Promise.all([a.service.idle(), b.service.idle()]);
      const names = timerQueueNames(ns);
      await until(async () => (await admin.jsm.streams.info(names.stream)).state.messages === 0, "the queue emptied");
      expect(fired.map((f) => f.timerId).sort()).toEqual(timers.map((t) => t.timerId).sort());
      for (const f of fired) expect(f.at).toBeGreaterThanOrEqual(f.dueAt);
      expect(errors).toEqual([]);
      // Both nodes pull from the one consumer (the server spreads deliveries between their pulls).
      expect(new Set(fired.map((f) => f.node))).toEqual(new Set(["a", "b"]));
    } finally {
      await stopNode(a);
      await stopNode(b);
      await store.close();
    }
  });

  it("fires every pending timer after the server is killed and restarted", async () => {
    const ns = namespace();
    const store = openTimerStore();
    const fired: { timerId: string; at: number; dueAt: number }[] = [];
    const node = await startNode(ns, store, clock, () => undefined, async (t) => void fired.push({ timerId: t.timerId, at: clock.now(), dueAt: t.dueAt }));
    try {
      const t0 = clock.now();
      const before = Array.from({ length: 5 }, (_, i) => timer(`before-${i}`, t0 + 10 * i));
      const pending = Array.from({ length: 20 }, (_, i) => timer(`pending-${i}`, t0 + 1_500 + 50 * i));
      for (const t of [...before, ...pending]) await node.service.schedule(t);
      await until(() => before.every((t) => fired.some((f) => f.timerId === t.timerId)), "the early timers");
      const restarting = server.restart("SIGKILL");
      // Set while the server is away: published once it is back.
      const during = timer("during", t0 + 2_000);
      await store.timers.updateTimers({ set: [during] });
      node.service.committed({ set: [during] });
      await restarting;
      const all = [...before, ...pending, during].map((t) => t.timerId);
      await until(() => all.every((id) => fired.some((f) => f.timerId === id)), "every timer after the restart", 30_000);
      await until(async () => (await stored(store)).length === 0, "every timer acknowledged");
      for (const f of fired) expect(f.at).toBeGreaterThanOrEqual(f.dueAt);
      expect(new Set(fired.map((f) => f.timerId))).toEqual(new Set(all));
    } finally {
      await stopNode(node);
    }
  }, 60_000);
});
