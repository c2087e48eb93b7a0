/**
 * Choice, Wait, Succeed and Fail as a user sees them.
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-succeed.html
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-fail.html
 */
import { describe, it, expect } from "vitest";
import { VirtualClock } from "../../index.js";
import { run, single, types, eventOf, details, gapMs, enteredStates } from "./helpers.js";

describe("Choice", () => {
  const shipping = {
    StartAt: "Route",
    States: {
      Route: {
        Type: "Choice",
        Choices: [
          { Variable: "$.weight", NumericGreaterThan: 20, Next: "Freight" },
          { And: [{ Variable: "$.country", StringEquals: "US" }, { Variable: "$.express", BooleanEquals: true }], Next: "Express" },
          { Variable: "$.weight", NumericGreaterThan: 10, Next: "Heavy" },
        ],
        Default: "Standard",
      },
      Freight: { Type: "Pass", Result: "freight", End: true },
      Express: { Type: "Pass", Result: "express", End: true },
      Heavy: { Type: "Pass", Result: "heavy", End: true },
      Standard: { Type: "Pass", Result: "standard", End: true },
    },
  };

  it("takes the first rule that matches", async () => {
    expect((await run(shipping, { weight: 25, country: "US", express: true })).output).toBe("freight");
    expect((await run(shipping, { weight: 15, country: "US", express: true })).output).toBe("express");
    expect((await run(shipping, { weight: 15, country: "FR", express: true })).output).toBe("heavy");
  });

  it("takes Default when no rule matches", async () => {
    const r = await run(shipping, { weight: 1, country: "FR" });
    expect(r.output).toBe("standard");
    expect(enteredStates(r)).toEqual(["Route", "Standard"]);
  });

  it("passes its input through to the chosen state", async () => {
    const r = await run({
      StartAt: "C",
      States: { C: { Type: "Choice", Choices: [{ Variable: "$.go", BooleanEquals: true, Next: "Out" }] }, Out: { Type: "Pass", End: true } },
    }, { go: true, data: [1] });
    expect(r.output).toEqual({ go: true, data: [1] });
    expect(types(r)).toEqual(["ExecutionStarted", "ChoiceStateEntered", "ChoiceStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]);
  });

  it("fails with States.NoChoiceMatched when nothing matches and there is no Default", async () => {
    const r = await run({
      StartAt: "C",
      States: { C: { Type: "Choice", Choices: [{ Variable: "$.n", NumericEquals: 1, Next: "One" }] }, One: { Type: "Succeed" } },
    }, { n: 2 });
    expect(r.status).toBe("FAILED");
    expect(r.error).toBe("States.NoChoiceMatched");
    expect(types(r).slice(-2)).toEqual(["ChoiceStateEntered", "ExecutionFailed"]);
  });

  it("JSONata Conditions choose too", async () => {
    const r = await run({
      QueryLanguage: "JSONata",
      StartAt: "C",
      States: {
        C: { Type: "Choice", Choices: [{ Condition: "{% $states.input.n > 5 %}", Next: "Big" }], Default: "Small" },
        Big: { Type: "Pass", Output: "big", End: true },
        Small: { Type: "Pass", Output: "small", End: true },
      },
    }, { n: 9 });
    expect(r.output).toBe("big");
  });
});

describe("Wait", () => {
  const waitThenPass = (wait: object): object => ({ StartAt: "W", States: { W: { Type: "Wait", ...wait, Next: "Done" }, Done: { Type: "Pass", End: true } } });

  it("Seconds: the history shows the wait between WaitStateEntered and WaitStateExited", async () => {
    const r = await run(waitThenPass({ Seconds: 90 }), { a: 1 });
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toEqual({ a: 1 });
    expect(gapMs(eventOf(r, "WaitStateEntered"), eventOf(r, "WaitStateExited"))).toBe(90_000);
  });

  it("a one-year wait completes at once on virtual time", async () => {
    const year = 365 * 24 * 3600;
    const started = Date.now();
    const r = await run(waitThenPass({ Seconds: year }));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(r.status).toBe("SUCCEEDED");
    expect(gapMs(eventOf(r, "WaitStateEntered"), eventOf(r, "WaitStateExited"))).toBe(year * 1000);
    expect(gapMs(eventOf(r, "ExecutionStarted"), eventOf(r, "ExecutionSucceeded"))).toBe(year * 1000);
  });

  it("Seconds 0 does not wait", async () => {
    const r = await run(waitThenPass({ Seconds: 0 }));
    expect(gapMs(eventOf(r, "WaitStateEntered"), eventOf(r, "WaitStateExited"))).toBe(0);
  });

  it("SecondsPath reads the delay from the input", async () => {
    const r = await run(waitThenPass({ SecondsPath: "$.delay" }), { delay: 42 });
    expect(gapMs(eventOf(r, "WaitStateEntered"), eventOf(r, "WaitStateExited"))).toBe(42_000);
  });

  it("SecondsPath with a negative or non-integer value fails with States.Runtime", async () => {
    for (const delay of [-1, 1.5, "10"]) {
      const r = await run(waitThenPass({ SecondsPath: "$.delay" }), { delay });
      expect(r.status, String(delay)).toBe("FAILED");
      expect(r.error, String(delay)).toBe("States.Runtime");
    }
  });

  it("Timestamp waits until that instant", async () => {
    const start = Date.parse("2030-01-01T00:00:00Z");
    const r = await run(waitThenPass({ Timestamp: "2030-01-01T06:30:00Z" }), {}, { clock: new VirtualClock(start) });
    expect(eventOf(r, "WaitStateEntered").timestamp).toBe(start);
    expect(eventOf(r, "WaitStateExited").timestamp).toBe(Date.parse("2030-01-01T06:30:00Z"));
  });

  it("TimestampPath reads the instant from the input (with an offset)", async () => {
    const start = Date.parse("2030-01-01T00:00:00Z");
    const r = await run(waitThenPass({ TimestampPath: "$.at" }), { at: "2030-01-01T03:00:00+02:00" }, { clock: new VirtualClock(start) });
    expect(eventOf(r, "WaitStateExited").timestamp).toBe(Date.parse("2030-01-01T01:00:00Z"));
  });

  it("a Timestamp in the past does not wait", async () => {
    const start = Date.parse("2030-01-01T00:00:00Z");
    const r = await run(waitThenPass({ Timestamp: "2020-01-01T00:00:00Z" }), {}, { clock: new VirtualClock(start) });
    expect(r.status).toBe("SUCCEEDED");
    expect(eventOf(r, "WaitStateExited").timestamp).toBe(start);
  });

  it("a TimestampPath that is not an ISO-8601 timestamp fails with States.Runtime", async () => {
    const r = await run(waitThenPass({ TimestampPath: "$.at" }), { at: "tomorrow" });
    expect(r.error).toBe("States.Runtime");
  });

  it("JSONata Seconds is evaluated against the state's input", async () => {
    const r = await run({ QueryLanguage: "JSONata", StartAt: "W", States: { W: { Type: "Wait", Seconds: "{% $states.input.minutes * 60 %}", End: true } } }, { minutes: 3 });
    expect(gapMs(eventOf(r, "WaitStateEntered"), eventOf(r, "WaitStateExited"))).toBe(180_000);
  });

  it("Wait applies InputPath and OutputPath to its input", async () => {
    const r = await run(single({ Type: "Wait", Seconds: 1, InputPath: "$.a", OutputPath: "$.b" }), { a: { b: "x" } });
    expect(r.output).toBe("x");
  });
});

describe("Succeed", () => {
  it("ends the execution with its input as output", async () => {
    const r = await run({ StartAt: "Ok", States: { Ok: { Type: "Succeed" } } }, { a: 1 });
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toEqual({ a: 1 });
    expect(types(r)).toEqual(["ExecutionStarted", "SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded"]);
  });

  it("applies InputPath and OutputPath", async () => {
    const r = await run({ StartAt: "Ok", States: { Ok: { Type: "Succeed", InputPath: "$.x", OutputPath: "$.y" } } }, { x: { y: [1] } });
    expect(r.output).toEqual([1]);
  });
});

describe("Fail", () => {
  it("fails the execution with Error and Cause", async () => {
    const r = await run({ StartAt: "F", States: { F: { Type: "Fail", Error: "Bad.Order", Cause: "quantity must be positive" } } }, {});
    expect(r.status).toBe("FAILED");
    expect(r.error).toBe("Bad.Order");
    expect(r.cause).toBe("quantity must be positive");
    expect(r.output).toBeUndefined();
    expect(types(r)).toEqual(["ExecutionStarted", "FailStateEntered", "ExecutionFailed"]);
    expect(details(eventOf(r, "ExecutionFailed"))).toEqual({ error: "Bad.Order", cause: "quantity must be positive" });
  });

  it("ErrorPath and CausePath read the error from the input", async () => {
    const r = await run({ StartAt: "F", States: { F: { Type: "Fail", ErrorPath: "$.err.code", CausePath: "$.err.text" } } }, { err: { code: "E42", text: "why" } });
    expect(r.error).toBe("E42");
    expect(r.cause).toBe("why");
  });

  it("ErrorPath/CausePath may use intrinsic functions", async () => {
    const r = await run({ StartAt: "F", States: { F: { Type: "Fail", ErrorPath: "States.Format('E{}', $.n)", CausePath: "States.Format('item {} failed', $.n)" } } }, { n: 7 });
    expect(r.error).toBe("E7");
    expect(r.cause).toBe("item 7 failed");
  });

  it("a Fail with neither Error nor Cause fails with neither", async () => {
    const r = await run({ StartAt: "F", States: { F: { Type: "Fail" } } }, {});
    expect(r.status).toBe("FAILED");
    expect(r.error).toBeUndefined();
    expect(r.cause).toBeUndefined();
    expect(details(eventOf(r, "ExecutionFailed"))).toEqual({});
  });

  it("JSONata Error and Cause are expressions", async () => {
    const r = await run({ QueryLanguage: "JSONata", StartAt: "F", States: { F: { Type: "Fail", Error: "{% 'E' & $states.input.code %}", Cause: "{% $states.input.msg %}" } } }, { code: "9", msg: "m" });
    expect(r.error).toBe("E9");
    expect(r.cause).toBe("m");
  });
});
