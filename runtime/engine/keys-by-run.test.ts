import { describe, expect, it } from "vitest";
import type { ExecutionRun } from "./execution-run.js";
import { KeysByRun } from "./keys-by-run.js";

// Only the runs' identity matters here.
const runA = {} as ExecutionRun;
const runB = {} as ExecutionRun;

describe("KeysByRun", () => {
  it("finds entries by key and counts them over every run", () => {
    const m = new KeysByRun<{ run: ExecutionRun; v: string }>((e) => e.run);
    m.set("a1", { run: runA, v: "first" });
    m.set("b1", { run: runB, v: "second" });
    expect(m.get("a1")?.v).toBe("first");
    expect(m.has("b1")).toBe(true);
    expect(m.get("zz")).toBeUndefined();
    expect(m.size).toBe(2);
  });

  it("deleteRun removes that run's entries only and returns their keys", () => {
    const m = new KeysByRun<{ run: ExecutionRun; v: number }>((e) => e.run);
    m.set("a1", { run: runA, v: 1 });
    m.set("a2", { run: runA, v: 2 });
    m.set("b1", { run: runB, v: 3 });
    expect(m.deleteRun(runA).sort()).toEqual(["a1", "a2"]);
    expect(m.has("a1") || m.has("a2")).toBe(false);
    expect(m.get("b1")?.v).toBe(3);
    expect(m.size).toBe(1);
    expect(m.deleteRun(runA)).toEqual([]);
  });

  it("an entry deleted by key is not returned again by deleteRun", () => {
    const m = new KeysByRun<{ run: ExecutionRun; v: number }>((e) => e.run);
    m.set("a1", { run: runA, v: 1 });
    m.set("a2", { run: runA, v: 2 });
    expect(m.delete("a1")).toBe(true);
    expect(m.delete("a1")).toBe(false);
    expect(m.deleteRun(runA)).toEqual(["a2"]);
    expect(m.size).toBe(0);
  });

  it("setting a key again moves it to its new run", () => {
    const m = new KeysByRun<{ run: ExecutionRun; v: number }>((e) => e.run);
    m.set("k", { run: runA, v: 1 });
    m.set("k", { run: runB, v: 2 });
    expect(m.deleteRun(runA)).toEqual([]);
    expect(m.get("k")?.v).toBe(2);
    expect(m.deleteRun(runB)).toEqual(["k"]);
  });
});
