/**
 * Terminal errors: States.Runtime and States.DataLimitExceeded are not caught by States.ALL
 * and are not retried.
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 * https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html (256 KiB payloads)
 */
import { describe, it, expect } from "vitest";
import type { Json } from "../../translators/json.js";
import { run, types, lambdaArn, enteredStates } from "./helpers.js";

const guarded = (task: object): object => ({
  StartAt: "T",
  States: {
    T: { Type: "Task", Resource: lambdaArn("f"), Retry: [{ ErrorEquals: ["States.ALL"], MaxAttempts: 3 }], Catch: [{ ErrorEquals: ["States.ALL"], Next: "Caught" }], End: true, ...task },
    Caught: { Type: "Pass", End: true },
  },
});

const KIB = 1024;

describe("States.Runtime", () => {
  it("is neither retried nor caught by States.ALL", async () => {
    let calls = 0;
    const r = await run(guarded({ OutputPath: "$.missing" }), {}, { functions: { f: () => { calls++; return { present: 1 }; } } });
    expect(r.status).toBe("FAILED");
    expect(r.error).toBe("States.Runtime");
    expect(r.cause).toContain("missing");
    expect(calls).toBe(1);
    expect(enteredStates(r)).toEqual(["T"]);
    expect(types(r).at(-1)).toBe("ExecutionFailed");
  });

  it("is not retried even by a retrier that names it (AWS: not retriable)", async () => {
    let calls = 0;
    const r = await run({
      StartAt: "T",
      States: { T: { Type: "Task", Resource: lambdaArn("f"), OutputPath: "$.missing", Retry: [{ ErrorEquals: ["States.Runtime"], MaxAttempts: 2 }], End: true } },
    }, {}, { functions: { f: () => { calls++; return {}; } } });
    expect(r.error).toBe("States.Runtime");
    expect(calls).toBe(1);
  });

  it("an InputPath failure in a Pass inside a Parallel fails the whole execution past a States.ALL catcher", async () => {
    const r = await run({
      StartAt: "P",
      States: {
        P: {
          Type: "Parallel",
          Branches: [{ StartAt: "X", States: { X: { Type: "Pass", InputPath: "$.nope", End: true } } }],
          Catch: [{ ErrorEquals: ["States.ALL"], Next: "Caught" }],
          End: true,
        },
        Caught: { Type: "Pass", End: true },
      },
    }, {});
    expect(r.status).toBe("FAILED");
    expect(r.error).toBe("States.Runtime");
    expect(enteredStates(r)).not.toContain("Caught");
  });
});

describe("States.DataLimitExceeded (256 KiB)", () => {
  it("a task result over 256 KiB fails the execution, past States.ALL retriers and catchers", async () => {
    let calls = 0;
    const r = await run(guarded({}), {}, { functions: { f: () => { calls++; return { blob: "x".repeat(257 * KIB) }; } } });
    expect(r.status).toBe("FAILED");
    expect(r.error).toBe("States.DataLimitExceeded");
    expect(calls).toBe(1);
    expect(enteredStates(r)).toEqual(["T"]);
  });

  it("a task result just under 256 KiB is fine", async () => {
    const r = await run(guarded({ ResultSelector: { "n.$": "States.StringSplit($.blob, 'y')" } }), {}, { functions: { f: () => ({ blob: "x".repeat(250 * KIB) }) } });
    expect(r.status).toBe("SUCCEEDED");
  });

  it("a string result over 256 KiB is over the limit too", async () => {
    const r = await run(guarded({}), {}, { functions: { f: () => "x".repeat(300 * KIB) } });
    expect(r.status).toBe("FAILED");
    expect(r.error).toBe("States.DataLimitExceeded");
  });

  it("multi-byte characters count as bytes, not characters", async () => {
    // 100 Ki of a 3-byte character: 300 KiB of UTF-8 in 100 Ki characters.
    const r = await run(guarded({}), {}, { functions: { f: () => ({ s: "€".repeat(100 * KIB) }) } });
    expect(r.error).toBe("States.DataLimitExceeded");
  });

  it("a task input over 256 KiB after Parameters fails before the function is called", async () => {
    let calls = 0;
    const big = { blob: "x".repeat(150 * KIB) };
    const r = await run(guarded({ Parameters: { "a.$": "$", "b.$": "$" } }), big, { functions: { f: () => { calls++; return null; } } });
    expect(r.error).toBe("States.DataLimitExceeded");
    expect(calls).toBe(0);
  });

  it("a Pass output over 256 KiB fails", async () => {
    const r = await run({ StartAt: "P", States: { P: { Type: "Pass", Parameters: { "a.$": "$", "b.$": "$" }, End: true } } }, { blob: "x".repeat(150 * KIB) });
    expect(r.error).toBe("States.DataLimitExceeded");
  });

  it("a state output that grows over the limit through ResultPath fails", async () => {
    const half: Json = "x".repeat(140 * KIB);
    const r = await run(guarded({ ResultPath: "$.second" }), { first: half }, { functions: { f: () => half } });
    expect(r.error).toBe("States.DataLimitExceeded");
  });
});
