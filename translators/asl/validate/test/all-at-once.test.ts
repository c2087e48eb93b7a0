import { describe, expect, it } from "vitest";
import { problems, SCHEMA } from "./helpers.js";

describe("validateDefinition", () => {
  it("reports every problem of a definition at once", () => {
    const definition = {
      Comment: "an order flow with many mistakes",
      StartAt: "Charge",
      Extra: true,
      States: {
        Charge: {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke",
          Arguments: { FunctionName: "charge" },
          TimeoutSeconds: 5,
          HeartbeatSeconds: 10,
          Retry: [
            { ErrorEquals: ["States.ALL"], BackoffRate: 0.5 },
            { ErrorEquals: ["Timeout"], IntervalSeconds: 0 },
          ],
          Catch: [{ ErrorEquals: ["States.ALL"], Next: "Refund" }],
          Next: "Decide",
        },
        Decide: {
          Type: "Choice",
          Choices: [{ Variable: "$.ok", BooleanEquals: true, Next: "Ship" }],
          Default: "Fail",
        },
        Ship: {
          Type: "Parallel",
          Branches: [{ StartAt: "Pack", States: { Pack: { Type: "Wait", Seconds: 1, Timestamp: "2020-01-01T00:00:00Z", Next: "Done" } } }],
          End: true,
        },
        Fail: { Type: "Fail", Error: "E", ErrorPath: "$.e" },
        Orphan: { Type: "Pass", Assign: { states: 1 }, End: true },
        Done: { Type: "Succeed" },
      },
    };
    expect(problems(definition)).toEqual([
      `${SCHEMA} /Extra`,
      `${SCHEMA} /States/Charge/Arguments`,
      `${SCHEMA} /States/Charge/HeartbeatSeconds`,
      `${SCHEMA} /States/Charge/Retry/0/ErrorEquals`,
      `${SCHEMA} /States/Charge/Retry/0/BackoffRate`,
      `${SCHEMA} /States/Charge/Retry/1/IntervalSeconds`,
      `${SCHEMA} /States/Ship/Branches/0/States/Pack/Timestamp`,
      "MISSING_TRANSITION_TARGET /States/Ship/Branches/0/States/Pack/Next",
      "MISSING_END_STATE /States/Ship/Branches/0/States",
      `${SCHEMA} /States/Fail/ErrorPath`,
      `${SCHEMA} /States/Orphan/Assign/states`,
      "MISSING_TRANSITION_TARGET /States/Charge/Catch/0/Next",
      "MISSING_TRANSITION_TARGET /States/Orphan",
      "MISSING_TRANSITION_TARGET /States/Done",
    ]);
  });
});
