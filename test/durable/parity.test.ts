/**
 * Durable executions behave exactly as in-memory ones: every recorded AWS case runs twice on
 * virtual time from the same clock and randomness, once in memory and once on a store, and
 * the two agree on status, output, error, cause and every history event (timestamps
 * included; adapters' request ids aside). The store then holds that same history and a summary that says the same.
 */
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { buildAdapters } from "../../adapters/index.js";
import { VirtualClock } from "../../runtime/clock/virtual-clock.js";
import { projectEngine } from "../../runtime/config/project-engine.js";
import type { ExecutionResult } from "../../runtime/engine/engine.js";
import type { ExecutionStore, HistoryEvent } from "../../runtime/ports/execution-store.js";
import { MemoryExecutionStore } from "../../runtime/stores/memory-execution-store.js";
import type { Json } from "../../translators/json.js";
import { loadCases } from "../conformance/cases.js";
import { CONFORMANCE_CONFIG, executionInput } from "../conformance/engine.js";
import { seededRandomness } from "./helpers.js";

const log = pino({ level: "silent" });

async function runCase(definition: unknown, input: Json, store: ExecutionStore | undefined): Promise<ExecutionResult | string> {
  const { engine, closeAdapters } = projectEngine({
    virtualTime: true,
    clock: new VirtualClock(1_700_000_000_000),
    randomness: seededRandomness(7),
    ...(store ? { store, keepFinished: true } : {}),
    project: { build: (_config, host) => buildAdapters(CONFORMANCE_CONFIG, host), cwd: process.cwd(), log },
  });
  try {
    await engine.start();
    const sm = engine.createStateMachine("parity", definition);
    return await engine.result(engine.startExecution(sm, input, "case"));
  } catch (e) {
    return (e as Error).message;
  } finally {
    await engine.close();
    await closeAdapters();
  }
}

/** Adapters draw the request ids of their errors from their own randomness. */
const sameRequestIds = (r: ExecutionResult | string): unknown => JSON.parse(JSON.stringify(r).replace(/Request ID: [A-Za-z0-9+/=-]+/g, "Request ID: <id>")) as unknown;

async function storedHistory(store: ExecutionStore, arn: string): Promise<HistoryEvent[]> {
  const page = await store.readHistory(arn, { limit: 10_000 });
  return [...(page?.events ?? [])];
}

describe("durable executions run as in-memory ones do", () => {
  for (const c of loadCases()) {
    it(c.id, async () => {
      const input = executionInput(c.input);
      const memory = await runCase(c.definition, input, undefined);
      const store = new MemoryExecutionStore();
      const durable = await runCase(c.definition, input, store);
      expect(sameRequestIds(durable)).toEqual(sameRequestIds(memory));
      if (typeof durable === "string") return;
      expect(await storedHistory(store, durable.executionArn)).toEqual(durable.history);
      const stored = await store.load(durable.executionArn);
      expect(stored?.summary).toMatchObject({ status: durable.status, ...(durable.error !== undefined ? { error: durable.error } : {}) });
      expect(stored?.historyLength).toBe(durable.history.length);
      expect(await store.listRunning()).toEqual({ items: [] });
    });
  }
});
