import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { SystemClock } from "../../runtime/clock/system-clock.js";
import { VirtualClock } from "../../runtime/clock/virtual-clock.js";
import type { ExecutionStore } from "../../runtime/ports/execution-store.js";
import type { TimerServiceV2 } from "../../runtime/ports/timer-service-v2.js";
import { LmdbExecutionStore } from "../../runtime/stores/lmdb-execution-store.js";
import { MemoryExecutionStore } from "../../runtime/stores/memory-execution-store.js";
import { DurableTimers } from "../../runtime/timers/durable-timers.js";
import { InProcessTimers } from "../../runtime/timers/in-process-timers.js";
import { SystemTimers } from "../../runtime/timers/system-timers.js";
import { VirtualTimers } from "../../runtime/timers/virtual-timers.js";
import type { RawRecordWriter } from "./execution-store.contract.js";
import { ManualTime } from "./manual-time.js";
import { recordedSubject, recorder, timerServiceContract, type TimerSubject } from "./timer-service.contract.js";

const T0 = 1_700_000_000_000;
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function subject(service: TimerServiceV2, now: () => number, advance: (ms: number) => Promise<void>, extra: Partial<TimerSubject> = {}): Promise<TimerSubject> {
  const rec = recorder(now);
  const s = recordedSubject(service, rec, { now, advance, ...extra });
  return service.start(rec.onFire).then(() => s);
}

timerServiceContract({
  name: "InProcessTimers over SystemTimers",
  exact: false,
  create: () => {
    const clock = new SystemClock();
    // Real time: let the span pass, then one more turn for handlers that became due with it.
    const sleep = (ms: number): Promise<void> => new Promise<void>((resolve) => setTimeout(resolve, ms)).then(turn);
    return subject(new InProcessTimers(new SystemTimers(clock)), () => clock.now(), sleep);
  },
  dispose: (s) => s.service.close(),
});

timerServiceContract({
  name: "InProcessTimers over VirtualTimers",
  exact: true,
  create: () => {
    const clock = new VirtualClock(T0);
    const virtual = new VirtualTimers(clock);
    const service = new InProcessTimers(virtual);
    const advance = async (ms: number): Promise<void> => {
      const target = clock.now() + ms;
      for (let next = service.nextDueAt(); next !== undefined && next <= target; next = service.nextDueAt()) {
        virtual.fireNext();
        await turn();
      }
      clock.advanceTo(target);
      await turn();
    };
    return subject(service, () => clock.now(), advance);
  },
  dispose: (s) => s.service.close(),
});

type Opened = ExecutionStore & RawRecordWriter;

/** DurableTimers on a ManualTime over a store; `reopen` stands for a process restart. */
function durableHarness(name: string, open: () => Promise<Opened>, reopen: (store: Opened) => Promise<Opened>): Parameters<typeof timerServiceContract>[0] {
  const closed = new WeakSet<Opened>();
  const stores = new WeakMap<TimerSubject, Opened>();
  const build = async (time: ManualTime, store: Opened): Promise<TimerSubject> => {
    const errors: unknown[] = [];
    const service = new DurableTimers({ store, clock: time, scheduler: time, onError: (e) => void errors.push(e) });
    const settle = async (): Promise<void> => {
      for (let i = 0; i < 3; i++) {
        await turn();
        await service.idle();
      }
    };
    const s = await subject(service, () => time.now(), (ms) => time.advance(ms, settle), {
      persist: (changes) => store.updateTimers(changes),
      restart: async () => {
        await service.close();
        const next = await reopen(store);
        if (next !== store) closed.add(store);
        return build(time, next);
      },
      jump: (ms) => time.jump(ms),
      pendingTimeouts: () => time.pending,
      armedCount: () => service.armedCount,
      stored: async () => (await store.timersDue(Infinity)).items.map((t) => t.timerId),
      corrupt: (timerId) => store.writeRawRecord("timer", timerId, Uint8Array.of(0xc1)),
      errors,
    });
    stores.set(s, store);
    return s;
  };
  return {
    name,
    exact: true,
    create: async () => build(new ManualTime(T0), await open()),
    dispose: async (s) => {
      await s.service.close();
      const store = stores.get(s) as Opened;
      if (!closed.has(store)) await store.close();
      closed.add(store);
    },
  };
}

timerServiceContract(
  durableHarness(
    "DurableTimers over MemoryExecutionStore",
    async () => new MemoryExecutionStore(),
    async (store) => store,
  ),
);

const lmdbPaths = new WeakMap<Opened, string>();
const openLmdb = async (path: string): Promise<Opened> => {
  const store = await LmdbExecutionStore.open({ path });
  lmdbPaths.set(store, path);
  return store;
};
timerServiceContract(
  durableHarness(
    "DurableTimers over LmdbExecutionStore",
    async () => {
      const dir = await mkdtemp(join(tmpdir(), "aslan-timers-"));
      dirs.push(dir);
      return openLmdb(dir);
    },
    async (store) => {
      await store.close();
      return openLmdb(lmdbPaths.get(store) as string);
    },
  ),
);
