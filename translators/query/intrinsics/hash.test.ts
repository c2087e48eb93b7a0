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

describe("States.Hash", () => {
  // MD5, SHA-1, SHA-256 and SHA-512 of "input data" were recorded on AWS; SHA-384 from Python's hashlib.
  it.each([
    ["MD5", "812f45842bc6d66ee14572ce20db8e86"],
    ["SHA-1", "aaff4a450a104cd177d28d18d74485e8cae074b7"],
    ["SHA-256", "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"],
    ["SHA-384", "d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562"],
    [
      "SHA-512",
      "6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4",
    ],
  ])("%s", (algorithm, digest) => {
    expect(run("States.Hash($.data, $.algorithm)", { data: "input data", algorithm })).toBe(digest);
  });

  it("hashes the UTF-8 bytes of the text", () => {
    expect(run("States.Hash($, 'SHA-256')", "héllo ✓")).toBe("5657cdef8a85a584e0e961e6f8247cf5d3f8ed21496ed6fdbcfd43a761e94245");
  });

  it("hashes a non-string value's JSON text", () => {
    expect(run("States.Hash($.v, 'MD5')", { v: { a: 1 } })).toBe("bb6cb5c68df4652941caf652a366f2d8");
  });

  it("accepts 10,000 characters and no more", () => {
    expect(run("States.Hash($, 'MD5')", "x".repeat(10_000))).toHaveLength(32);
    const e = failure("States.Hash($, 'MD5')", "x".repeat(10_001));
    expect(e.error).toBe("States.IntrinsicFailure");
    expect(e.cause).toContain("at most 10000 characters");
  });

  it("fails on an unknown algorithm, names being case-sensitive", () => {
    for (const algorithm of ["sha-256", "SHA256", "SHA-3", "toString"]) {
      const e = failure("States.Hash('x', $)", algorithm);
      expect(e.error).toBe("States.IntrinsicFailure");
      expect(e.cause).toContain("one of MD5, SHA-1, SHA-256, SHA-384, SHA-512");
    }
    expect(failure("States.Hash('x', 256)").cause).toContain("second argument must be a string");
  });
});
