import { describe, expect, it } from "vitest";
import { DefinitionError } from "../asl/diagnostics.js";
import { locateTestedState } from "./source.js";
import { TestStateRejected } from "./model.js";

const services = { randomness: { random: () => 0.5, uuid: () => "00000000-0000-4000-8000-000000000000" } };
const text = (v: unknown): string => JSON.stringify(v);

function diagnosticsOf(run: () => unknown): { code: string; location: string }[] {
  try {
    run();
  } catch (e) {
    if (e instanceof DefinitionError) return e.diagnostics.map(({ code, location }) => ({ code, location }));
    throw e;
  }
  throw new Error("expected a DefinitionError");
}

describe("locateTestedState", () => {
  it("takes a single state whose transitions name states that are not there", () => {
    const tested = locateTestedState(text({ Type: "Choice", Choices: [{ Variable: "$.n", NumericEquals: 1, Next: "One" }], Default: "Other" }), undefined, services);
    expect(tested.state.Type).toBe("Choice");
    expect(tested.language).toBe("JSONPath");
  });

  it("reports a single state's problems at pointers into the state itself", () => {
    const found = diagnosticsOf(() => locateTestedState(text({ Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Retry: [{ ErrorEquals: ["E"], BackoffRate: 0.5 }], End: true }), undefined, services));
    expect(found).toContainEqual(expect.objectContaining({ location: "/Retry/0/BackoffRate" }));
    expect(found.every((d) => !d.location.startsWith("/States"))).toBe(true);
  });

  it("reports only the state's own problem, not the wrapping machine's, when a transition is malformed", () => {
    const found = diagnosticsOf(() => locateTestedState(text({ Type: "Pass", Next: 3 }), undefined, services));
    expect(found.map((d) => d.location)).toEqual(["/Next"]);
  });

  it("refuses a whole machine without stateName", () => {
    expect(() => locateTestedState(text({ StartAt: "A", States: { A: { Type: "Pass", End: true } } }), undefined, services)).toThrow(DefinitionError);
  });

  it("finds stateName at the top level and inside a Map processor, with the machine's query language", () => {
    const machine = {
      QueryLanguage: "JSONata",
      StartAt: "M",
      States: { M: { Type: "Map", ItemProcessor: { StartAt: "Inner", States: { Inner: { Type: "Pass", End: true } } }, End: true } },
    };
    expect(locateTestedState(text(machine), "M", services).state.Type).toBe("Map");
    const inner = locateTestedState(text(machine), "Inner", services);
    expect(inner.state.Type).toBe("Pass");
    expect(inner.language).toBe("JSONata");
  });

  it("says 'State not found in definition' for an unknown stateName, and validates the whole machine", () => {
    const machine = text({ StartAt: "A", States: { A: { Type: "Pass", End: true } } });
    expect(() => locateTestedState(machine, "B", services)).toThrow(new TestStateRejected("ValidationException", "State not found in definition"));
    const broken = text({ StartAt: "A", States: { A: { Type: "Pass", Next: "Missing" } } });
    expect(diagnosticsOf(() => locateTestedState(broken, "A", services))).toContainEqual({ code: "MISSING_TRANSITION_TARGET", location: "/States/A/Next" });
  });
});

describe("locateTestedState: transition targets", () => {
  it("lets a single state's Next name a state that also exists inside one of its branches", () => {
    const branch = { StartAt: "After", States: { After: { Type: "Pass", End: true } } };
    const tested = locateTestedState(JSON.stringify({ Type: "Parallel", Branches: [branch], Next: "After" }), undefined, services);
    expect(tested.state.Type).toBe("Parallel");
  });
});
