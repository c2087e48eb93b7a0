/**
 * Every recorded AWS case on the engine `aslan run` builds, with the project's adapters and a
 * config that declares no resources (engine.ts), under virtual time: status, output, error and
 * cause must agree with what AWS recorded (compare.mjs, placeholders included).
 */
import { writeFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { loadCases, loadCompare, type ConformanceCase } from "./cases.js";
import { caseOutcome } from "./engine.js";
import { KNOWN_FAILURES } from "./known-failures.js";

const cases = loadCases();
const { difference } = await loadCompare();

async function outcome(c: ConformanceCase): Promise<string | null> {
  return difference(c.expected, await caseOutcome(c.definition, c.input));
}

/** Set ASLAN_CONFORMANCE_REPORT=file.json to get every case's outcome and reason. */
const reportFile = process.env["ASLAN_CONFORMANCE_REPORT"];
const report: { id: string; why: string | null }[] = [];

describe("AWS conformance cases", () => {
  for (const c of cases) {
    const known = KNOWN_FAILURES[c.id];
    (known ? it.fails : it)(known ? `${c.id} (known failure: ${known})` : c.id, async () => {
      const why = await outcome(c);
      report.push({ id: c.id, why });
      expect(why).toBeNull();
    });
  }

  afterAll(() => {
    if (reportFile) writeFileSync(reportFile, JSON.stringify(report, null, 1));
  });

  it("fails only cases that are defective as stored or listed as not done", () => {
    const notDone = cases.filter((c) => KNOWN_FAILURES[c.id]?.startsWith("NOT DONE")).length;
    const defective = cases.filter((c) => KNOWN_FAILURES[c.id]?.startsWith("DEFECTIVE")).length;
    // Of the cases an engine can pass as stored, at least 95% pass.
    expect((cases.length - defective - notDone) / (cases.length - defective)).toBeGreaterThanOrEqual(0.95);
    expect(Object.values(KNOWN_FAILURES).every((why) => /^(DEFECTIVE|NOT DONE): /.test(why))).toBe(true);
  });
});
