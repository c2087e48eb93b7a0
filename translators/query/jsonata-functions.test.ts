import { describe, it, expect } from "vitest";
import type { Json } from "../json.js";
import { hash, parseJson, partition, range, seededRandom, shuffle } from "./jsonata-functions.js";
import { compileJsonataValue, type JsonataBindings } from "./jsonata.js";

let draws = 0;
const randomness = { random: () => [0.5, 0.1, 0.9][draws++ % 3] as number, uuid: () => "4b6f2f3e-8d1a-4c2b-9e0f-123456789abc" };
const bindings = (input: Json = {}): JsonataBindings => ({ states: { input, context: {} }, vars: {}, randomness });
const run = (expr: string, input: Json = {}): Json => compileJsonataValue(`{% ${expr} %}`, "Output").evaluate(bindings(input));
const cause = (expr: string, input: Json = {}): string | undefined => {
  try {
    run(expr, input);
    return undefined;
  } catch (e) {
    return (e as { cause?: string }).cause;
  }
};
const nothing = (expr: string): void => expect(cause(expr)).toMatch(/returned nothing \(undefined\)\.$/);

describe("$partition", () => {
  it("chunks an array, the last chunk holding the rest", () => {
    expect(run("$partition([1,2,3,4,5,6,7,8,9], 3)")).toEqual([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
    expect(run("$partition([0,1,2,3], 3)")).toEqual([[0, 1, 2], [3]]);
    expect(run("$partition([0], 1)")).toEqual([[0]]);
    expect(run("$partition([0, 1], 5)")).toEqual([[0, 1]]);
  });

  it("truncates a fractional chunk size", () => {
    expect(run("$partition([1,2,3,4,5], 2.9)")).toEqual([[1, 2], [3, 4], [5]]);
  });

  it("gives nothing for an empty array or a chunk size below 1", () => {
    nothing("$partition([], 2)");
    nothing("$partition([1], 0)");
    expect(partition([1], -1)).toBeUndefined();
    expect(partition(undefined, 1)).toBeUndefined();
  });

  it("fails on a chunk size that is not a number", () => {
    expect(cause("$partition([1], 'a')")).toMatch(/T0410: Argument 2 of function "partition" does not match function signature$/);
  });
});

describe("$range", () => {
  it("steps from start to end, inclusive when a step lands on it", () => {
    expect(run("$range(0, 10, 2)")).toEqual([0, 2, 4, 6, 8, 10]);
    expect(run("$range(0, 10, 3)")).toEqual([0, 3, 6, 9]);
    expect(run("$range(5, 1, -2)")).toEqual([5, 3, 1]);
    expect(run("$range(-1.7, 2, 1)")).toEqual([-1, 0, 1, 2]);
  });

  it("collapses a one-item range to the number, as AWS does", () => {
    expect(run("$range(1, 9, 9)")).toBe(1);
    expect(run("[$range(1, 9, 9)]")).toEqual([1]);
  });

  it("gives nothing without a step, or for a step that points away", () => {
    nothing("$range(0, 10)");
    nothing("$range(0, 10, -1)");
    nothing("$range(0, 10, 0)");
  });

  it("refuses to build enormous arrays", () => {
    expect(() => range(0, 1e12, 1)).toThrow(/must not exceed/);
  });
});

describe("$hash", () => {
  // Digests recorded on AWS for States.Hash("input data", ...), which $hash replaces.
  it.each([
    ["MD5", "812f45842bc6d66ee14572ce20db8e86"],
    ["SHA-1", "aaff4a450a104cd177d28d18d74485e8cae074b7"],
    ["SHA-256", "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"],
    [
      "SHA-512",
      "6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4",
    ],
  ])("%s", (algorithm, digest) => {
    expect(run("$hash($states.input.v, $states.input.a)", { v: "input data", a: algorithm })).toBe(digest);
  });

  it("supports SHA-384 and names only AWS's algorithms (case-sensitive)", () => {
    expect(hash("", "SHA-384")).toHaveLength(96);
    expect(cause("$hash('x', 'sha-256')")).toMatch(/threw an error during evaluation\. The hashing algorithm 'sha-256' is not supported/);
    nothing("$hash('x')");
  });
});

describe("$random", () => {
  it("draws from the injected randomness without a seed", () => {
    draws = 0;
    expect(run("$random()")).toBe(0.5);
    expect(run("[$random(), $random()]")).toEqual([0.1, 0.9]);
  });

  it("is deterministic for a seed (java.util.Random's first nextDouble)", () => {
    expect(seededRandom(0)).toBe(0.730967787376657);
    expect(seededRandom(42)).toBe(0.7275636800328681);
    expect(run("$random(42)")).toBe(0.7275636800328681);
    expect(run("$random(42.9)")).toBe(0.7275636800328681);
    const v = run("$random($states.input.seed)", { seed: -7 }) as number;
    expect(v).toBeGreaterThanOrEqual(0);
    expect(v).toBeLessThan(1);
    expect(run("$random($states.input.seed)", { seed: -7 })).toBe(v);
  });
});

describe("$uuid", () => {
  it("comes from the injected randomness", () => {
    expect(run("$uuid()")).toBe("4b6f2f3e-8d1a-4c2b-9e0f-123456789abc");
  });
});

describe("$parse", () => {
  it.each([
    ["-0", 0],
    ["1", 1],
    ["1.1", 1.1],
    ["true", true],
    ["null", null],
    ['"HelloWorld"', "HelloWorld"],
    ['[1, 2, "HelloWorld"]', [1, 2, "HelloWorld"]],
    ['{"Arg1": 1, "Arg2": []}', { Arg1: 1, Arg2: [] }],
    ["[7]", [7]],
  ] as [string, Json][])("%s", (text, value) => {
    expect(run("$parse($states.input.t)", { t: text })).toEqual(value);
  });

  it("fails on text that is not JSON", () => {
    expect(cause("$parse('{')")).toMatch(/threw an error during evaluation\. Unable to parse '\{' as JSON/);
    expect(() => parseJson("nope")).toThrow();
  });
});

describe("$shuffle", () => {
  it("uses the injected randomness and keeps every item", () => {
    draws = 0;
    const out = run("$shuffle([1, 2, 3, 4])") as number[];
    expect([...out].sort()).toEqual([1, 2, 3, 4]);
    draws = 0;
    expect(run("$shuffle([1, 2, 3, 4])")).toEqual(out);
    expect(shuffle([1, 2, 3], () => 0)).toEqual([2, 3, 1]);
  });
});
