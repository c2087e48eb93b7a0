/**
 * The recorded AWS cases through `aslan serve`, with the adapters the in-process suite runs
 * them with (a config that declares no resources: test/conformance/engine.ts): once with the
 * shared runner (run.mjs, as a user would run it) and once with the same SDK calls but the
 * input handled as the in-process suite handles it. Both must pass what the in-process suite passes.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { loadCases, loadCompare, SHARED } from "../conformance/cases.js";
import { conformanceAdapters } from "../conformance/engine.js";
import { KNOWN_FAILURES } from "../conformance/known-failures.js";
import { ROLE_ARN, startTestApi, type TestApi } from "./helpers.js";

const cases = loadCases();
/** run.mjs sends `JSON.stringify(c.input)`: for these ten cases, whose input is stored as JSON text, that is a JSON string. */
const TEXT_INPUT = new Set(cases.filter((c) => typeof c.input === "string").map((c) => c.id));
const passable = cases.filter((c) => !KNOWN_FAILURES[c.id]).map((c) => c.id);

describe("conformance through aslan serve", () => {
  let api: TestApi;
  let dir: string;
  beforeAll(async () => {
    api = await startTestApi({ virtualTime: true, adapters: conformanceAdapters });
    dir = mkdtempSync(join(tmpdir(), "aslan-conformance-"));
  });
  afterAll(async () => {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("the shared run.mjs passes every passable case except the ten it sends as JSON strings", async () => {
    const report = join(dir, "report.json");
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, [join(SHARED, "conformance/run.mjs"), "--endpoint", api.server.url, "--report", report, "--timeout-ms", "20000"], {
        stdio: ["ignore", "ignore", "inherit"],
        env: { ...process.env, AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: "1" },
      });
      child.on("error", reject);
      child.on("exit", resolve);
    });
    const results = JSON.parse(readFileSync(report, "utf8")) as { id: string; ok: boolean; why?: string }[];
    expect(results).toHaveLength(cases.length);
    const failed = results.filter((r) => !r.ok && !KNOWN_FAILURES[r.id] && !TEXT_INPUT.has(r.id));
    expect(failed).toEqual([]);
    const passed = new Set(results.filter((r) => r.ok).map((r) => r.id));
    expect(passable.filter((id) => !TEXT_INPUT.has(id) && !passed.has(id))).toEqual([]);
    expect(code).toBe(1); // the defective cases fail, as they do in process
  }, 180_000);

  it("over the SDK with text inputs parsed, exactly the in-process suite's cases pass", async () => {
    const { difference } = await loadCompare();
    const failures: string[] = [];
    let next = 0;
    const runOne = async (i: number): Promise<void> => {
      const c = cases[i]!;
      try {
        await runCase(i);
      } catch (e) {
        if (!KNOWN_FAILURES[c.id]) failures.push(`${c.id}: ${(e as Error).name}: ${(e as Error).message}`);
      }
    };
    const runCase = async (i: number): Promise<void> => {
      const c = cases[i]!;
      const { stateMachineArn } = await api.sfn.send(new CreateStateMachineCommand({ name: `sdk${i}`, definition: JSON.stringify(c.definition), roleArn: ROLE_ARN }));
      const input = typeof c.input === "string" ? c.input : JSON.stringify(c.input ?? {});
      const { executionArn } = await api.sfn.send(new StartExecutionCommand({ stateMachineArn, input }));
      for (;;) {
        const d = await api.sfn.send(new DescribeExecutionCommand({ executionArn }));
        if (d.status !== "RUNNING") {
          const why = difference(c.expected, { status: d.status, output: d.output, error: d.error, cause: d.cause });
          if (why && !KNOWN_FAILURES[c.id]) failures.push(`${c.id}: ${why}`);
          if (!why && KNOWN_FAILURES[c.id]) failures.push(`${c.id}: passes but is listed as a known failure`);
          return;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < cases.length) await runOne(next++);
    }));
    expect(failures).toEqual([]);
  }, 180_000);
});
