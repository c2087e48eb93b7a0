import { describe, expect, it } from "vitest";
import { compareInstants, isTimestamp, parseTimestamp } from "./timestamp.js";

describe("parseTimestamp", () => {
  it.each([
    "2016-08-18T17:33:00Z",
    "2012-10-09T19:00:55.123Z",
    "2012-10-09T19:00:55.123456789Z",
    "2012-10-09T19:00:55+01:00",
    "2012-10-09T19:00:55-07:30",
    "2024-02-29T00:00:00Z",
    "2000-02-29T23:59:59Z",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59.999999999+18:00",
  ])("accepts %s", (text) => {
    expect(parseTimestamp(text)).toBeDefined();
  });

  it.each([
    ["no offset", "2012-10-09T19:00:55"],
    ["no offset, fraction", "2012-10-09T19:00:55.000000"],
    ["space separator", "2023-02-24 12:15:56.832957"],
    ["date only", "2023-02-24"],
    ["lowercase t", "2012-10-09t19:00:55Z"],
    ["lowercase z", "2012-10-09T19:00:55z"],
    ["no seconds", "2012-10-09T19:00Z"],
    ["month 13", "2016-13-05T21:29:29Z"],
    ["day-month-year", "05-12-2016T21:29:29Z"],
    ["30 February", "2023-02-30T00:00:00Z"],
    ["29 February, common year", "2023-02-29T00:00:00Z"],
    ["29 February, 1900", "1900-02-29T00:00:00Z"],
    ["hour 24", "2012-10-09T24:00:00Z"],
    ["leap second", "2012-06-30T23:59:60Z"],
    ["10 fraction digits", "2012-10-09T19:00:55.1234567890Z"],
    ["empty fraction", "2012-10-09T19:00:55.Z"],
    ["offset beyond 18h", "2012-10-09T19:00:55+19:00"],
    ["offset without colon", "2012-10-09T19:00:55+0100"],
    ["text", "date"],
    ["empty", ""],
  ])("rejects %s (%s)", (_why, text) => {
    expect(parseTimestamp(text)).toBeUndefined();
  });

  it("computes the instant since the epoch", () => {
    expect(parseTimestamp("1970-01-01T00:00:00Z")).toEqual({ seconds: 0, nanos: 0 });
    expect(parseTimestamp("2012-10-09T19:00:55Z")).toEqual({ seconds: Date.UTC(2012, 9, 9, 19, 0, 55) / 1000, nanos: 0 });
    expect(parseTimestamp("1969-12-31T23:59:59.5Z")).toEqual({ seconds: -1, nanos: 500_000_000 });
  });

  it("applies the offset", () => {
    expect(parseTimestamp("2012-10-09T20:00:55+01:00")).toEqual(parseTimestamp("2012-10-09T19:00:55Z"));
    expect(parseTimestamp("2012-10-09T18:30:55-00:30")).toEqual(parseTimestamp("2012-10-09T19:00:55Z"));
  });
});

describe("compareInstants", () => {
  const at = (text: string) => parseTimestamp(text) ?? { seconds: NaN, nanos: NaN };
  it("orders by seconds, then nanoseconds", () => {
    expect(compareInstants(at("2012-10-09T19:00:55Z"), at("2012-10-09T19:00:56Z"))).toBeLessThan(0);
    expect(compareInstants(at("2012-10-09T19:00:55.000000002Z"), at("2012-10-09T19:00:55.000000001Z"))).toBeGreaterThan(0);
    expect(compareInstants(at("2012-10-09T19:00:55.1Z"), at("2012-10-09T19:00:55.100Z"))).toBe(0);
  });
});

describe("isTimestamp", () => {
  it("holds only for timestamp strings", () => {
    expect(isTimestamp("2016-08-18T17:33:00Z")).toBe(true);
    expect(isTimestamp("2016-08-18")).toBe(false);
    expect(isTimestamp(0)).toBe(false);
    expect(isTimestamp(null)).toBe(false);
  });
});
