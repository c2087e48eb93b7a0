/**
 * The DEFECTIVE conformance cases that repairs.ts repairs, run like conformance.test.ts runs every
 * case (engine.ts: the project's adapters, virtual time; compared with compare.mjs's `difference`,
 * placeholders included) but on the repaired definition and input. `expected` is the recorded one, unchanged.
 */
import { describe, expect, it } from "vitest";
import type { Json } from "../../translators/json.js";
import { loadCases, loadCompare, type ConformanceCase } from "./cases.js";
import { caseOutcome, executionInput } from "./engine.js";
import { KNOWN_FAILURES } from "./known-failures.js";
import { applyRepair, REPAIRS, UNREPAIRED, type Repair } from "./repairs.js";

const cases = new Map(loadCases().map((c) => [c.id, c]));
const { difference, matches } = await loadCompare();

/**
 * Repaired cases the engine still fails: our bugs, each with the difference it shows. A case listed
 * here runs as `it.fails`, so fixing the engine makes it show up at once.
 */
const ENGINE_FAILURES: Readonly<Record<string, string>> = {};

function repaired(repair: Repair): { c: ConformanceCase; definition: Json; input: Json } {
  const c = cases.get(repair.id);
  if (!c) throw new Error(`no case ${repair.id}`);
  return { c, ...applyRepair(c, repair) };
}

async function outcome(repair: Repair): Promise<string | null> {
  const { c, definition, input } = repaired(repair);
  return difference(c.expected, await caseOutcome(definition, input));
}

/** Every state name in a definition, nested ones (Map ItemProcessor/Iterator, Parallel Branches) included. */
function stateNames(definition: unknown, into = new Set<string>()): Set<string> {
  const states = (definition as { States?: Record<string, Record<string, unknown>> } | null)?.States ?? {};
  for (const [name, state] of Object.entries(states)) {
    into.add(name);
    for (const sub of [state["ItemProcessor"], state["Iterator"], ...((state["Branches"] as unknown[] | undefined) ?? [])]) {
      if (sub) stateNames(sub, into);
    }
  }
  return into;
}

const parseMaybe = (v: unknown): unknown => {
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
};

describe("repaired DEFECTIVE conformance cases", () => {
  for (const repair of REPAIRS) {
    const engine = ENGINE_FAILURES[repair.id];
    (engine ? it.fails : it)(engine ? `${repair.id} (${engine})` : repair.id, async () => {
      expect(await outcome(repair)).toBeNull();
    });
  }
});

describe("the repairs", () => {
  const defective = Object.keys(KNOWN_FAILURES).filter((id) => KNOWN_FAILURES[id]?.startsWith("DEFECTIVE"));

  it("cover every DEFECTIVE case once, as repaired or as unrepaired with a reason", () => {
    const repairedIds = REPAIRS.map((r) => r.id);
    expect(new Set(repairedIds).size).toBe(repairedIds.length);
    expect(repairedIds.filter((id) => id in UNREPAIRED)).toEqual([]);
    expect([...repairedIds, ...Object.keys(UNREPAIRED)].sort()).toEqual([...defective].sort());
    expect(Object.values(UNREPAIRED).every((why) => why.length > 0)).toBe(true);
  });

  it("name each replacement's evidence and touch only the definition and the input", () => {
    for (const r of REPAIRS) {
      expect(r.evidence.length, r.id).toBeGreaterThan(0);
      expect(r.replacements.length, r.id).toBeGreaterThan(0);
      for (const p of r.replacements) expect(p.pointer, r.id).toMatch(/^\/(definition|input)(\/|$)/);
    }
  });

  it("mark engine failures as ours (ENGINE: ...), and only for repaired cases", () => {
    for (const [id, why] of Object.entries(ENGINE_FAILURES)) {
      expect(why, id).toMatch(/^ENGINE: /);
      expect(REPAIRS.some((r) => r.id === id), id).toBe(true);
    }
  });

  // The repaired case must still be the execution recorded: its input agrees with ExecutionStarted
  // (placeholders match any value; where the recorder put the same word in the history as in the
  // stored input, the history matches the stored input instead) and every state the history
  // enters is in the repaired definition.
  it.each(REPAIRS.filter((r) => (cases.get(r.id)?.history ?? []).length > 0).map((r) => [r.id, r] as const))(
    "agrees with the recorded history: %s",
    (_id, repair) => {
      const { c, definition, input } = repaired(repair);
      const started = c.history.find((e) => e["type"] === "ExecutionStarted");
      const startedInput = parseMaybe((started?.["executionStartedEventDetails"] as { input?: unknown } | undefined)?.input);
      const recorded = matches(startedInput, executionInput(input)) || matches(startedInput, executionInput(c.input as Json));
      expect(recorded).toBe(true);
      const names = stateNames(definition);
      const entered = c.history
        .map((e) => (e["stateEnteredEventDetails"] as { name?: string } | undefined)?.name)
        .filter((n): n is string => n !== undefined);
      expect(entered.filter((n) => !names.has(n))).toEqual([]);
    },
  );
});
