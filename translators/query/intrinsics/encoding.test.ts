import { describe, expect, it } from "vitest";
import { StatesError } from "../../errors.js";
import type { Json } from "../../json.js";
import { compileIntrinsic } from "./index.js";

const randomness = { random: () => 0.5, uuid: () => "0f8fad5b-d9cb-469f-a165-70867728950e" };
const run = (text: string, input: Json = null): Json =>
  compileIntrinsic(text).evaluate({ input, context: {}, vars: {}, randomness });

function failure(text: string, input: Json = null): StatesError {
  try {
    run(text, input);
  } catch (e) {
    expect(e).toBeInstanceOf(StatesError);
    return e as StatesError;
  }
  throw new Error(`${text} did not fail`);
}

describe("States.Base64Encode", () => {
  it("encodes UTF-8 text", () => {
    expect(run("States.Base64Encode($)", "Data to encode")).toBe("RGF0YSB0byBlbmNvZGU=");
    expect(run("States.Base64Encode('Hello World')")).toBe("SGVsbG8gV29ybGQ=");
    expect(run("States.Base64Encode($)", "héllo ✓ 😀")).toBe("aMOpbGxvIOKckyDwn5iA");
    expect(run("States.Base64Encode('')")).toBe("");
  });

  it("accepts 10,000 characters and no more", () => {
    expect(run("States.Base64Encode($)", "a".repeat(10_000))).toHaveLength(13_336);
    const e = failure("States.Base64Encode($)", "a".repeat(10_001));
    expect(e.error).toBe("States.IntrinsicFailure");
    expect(e.cause).toContain("at most 10000 characters, but has 10001");
  });

  it("fails on a non-string", () => {
    expect(failure("States.Base64Encode($)", { a: 1 }).cause).toContain("must be a string, but was object");
  });
});

describe("States.Base64Decode", () => {
  it("decodes to UTF-8 text", () => {
    expect(run("States.Base64Decode($)", "RGF0YSB0byBlbmNvZGU=")).toBe("Data to encode");
    expect(run("States.Base64Decode($)", "aMOpbGxvIOKckyDwn5iA")).toBe("héllo ✓ 😀");
    expect(run("States.Base64Decode('')")).toBe("");
  });

  it("accepts input with or without padding, as Java's decoder does", () => {
    expect(run("States.Base64Decode('SGVsbG8gV29ybGQ')")).toBe("Hello World");
    expect(run("States.Base64Decode('SGV=')")).toBe("He");
    expect(run("States.Base64Decode('QQ')")).toBe("A");
  });

  it("round-trips with Base64Encode", () => {
    expect(run("States.Base64Decode(States.Base64Encode($))", "any text, {} 'quotes'")).toBe("any text, {} 'quotes'");
  });

  it("fails on text that is not base64", () => {
    for (const s of ["abc$", "SGVsbG8=x", "A", "QQ=", "SGVs bG8=", "SGVsbG8==="]) {
      const e = failure("States.Base64Decode($)", s);
      expect(e.error).toBe("States.IntrinsicFailure");
      expect(e.cause).toContain("not a valid base64 string");
    }
  });

  it("fails on more than 10,000 characters", () => {
    expect(failure("States.Base64Decode($)", "A".repeat(10_004)).cause).toContain("at most 10000 characters");
  });
});
