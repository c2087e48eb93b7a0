/**
 * Every recorded AWS case through `runDefinition` with virtual time: status, output,
 * error and cause must agree with what AWS recorded (compare.mjs, placeholders included).
 */
import { describe, expect, it } from "vitest";
import { runDefinition } from "../../runtime/index.js";
import type { Json } from "../../translators/json.js";
import { loadCases, loadCompare, type ConformanceCase } from "./cases.js";
import { KNOWN_FAILURES } from "./known-failures.js";

const cases = loadCases();
const { difference } = await loadCompare();

async function outcome(c: ConformanceCase): Promise<string | null> {
  let result: Record<string, unknown>;
  try {
    const r = await runDefinition(c.definition, c.input as Json, { virtualTime: true });
    result = { status: r.status, output: r.output === undefined ? undefined : JSON.stringify(r.output), error: r.error, cause: r.cause };
  } catch (e) {
    result = { status: "DEFINITION_ERROR", error: (e as Error).message };
  }
  return difference(c.expected, result);
}

describe("AWS conformance cases", () => {
  for (const c of cases) {
    const known = KNOWN_FAILURES[c.id];
    (known ? it.fails : it)(known ? `${c.id} (known failure: ${known})` : c.id, async () => {
      expect(await outcome(c)).toBeNull();
    });
  }

  it("passes at least 95% of the cases", () => {
    const failing = cases.filter((c) => KNOWN_FAILURES[c.id] !== undefined).length;
    expect((cases.length - failing) / cases.length).toBeGreaterThanOrEqual(0.95);
  });
});
