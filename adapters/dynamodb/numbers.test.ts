import { describe, expect, it } from "vitest";
import { addNumbers, compareNumbers, normalizeNumber, parseNumber } from "./numbers.js";

describe("DynamoDB numbers", () => {
  it("normalizes as DynamoDB stores them", () => {
    expect(normalizeNumber("1.50")).toBe("1.5");
    expect(normalizeNumber("0010")).toBe("10");
    expect(normalizeNumber("-0.0")).toBe("0");
    expect(normalizeNumber("1e2")).toBe("100");
    expect(normalizeNumber("1.5E-3")).toBe("0.0015");
    expect(normalizeNumber(".5")).toBe("0.5");
    expect(normalizeNumber("-12.340e1")).toBe("-123.4");
  });

  it("rejects what is not a number, with DynamoDB's messages", () => {
    expect(parseNumber("")).toBe("The parameter cannot be converted to a numeric value");
    expect(parseNumber("abc")).toBe("The parameter cannot be converted to a numeric value: abc");
    expect(parseNumber("1e126")).toBe("Number overflow. Attempting to store a number with magnitude larger than supported range");
    expect(parseNumber("1e-131")).toBe("Number underflow. Attempting to store a number with magnitude smaller than supported range");
    expect(parseNumber("1".repeat(39))).toBe("Attempting to store more than 38 significant digits in a Number");
    expect(parseNumber("1".repeat(38) + "000")).not.toBeTypeOf("string");
    expect(parseNumber("0e999999999")).not.toBeTypeOf("string");
  });

  it("compares numerically, whatever the notation", () => {
    expect(compareNumbers("10", "9")).toBe(1);
    expect(compareNumbers("-10", "9")).toBe(-1);
    expect(compareNumbers("1.50", "1.5")).toBe(0);
    expect(compareNumbers("1e2", "99.999")).toBe(1);
    expect(compareNumbers("0.000001", "1E-7")).toBe(1);
  });

  it("adds and subtracts exactly", () => {
    expect(addNumbers("0.1", "0.2")).toBe("0.3");
    expect(addNumbers("1", "0.001", true)).toBe("0.999");
    expect(addNumbers("12345678901234567890123456789012345678", "1")).toBe("12345678901234567890123456789012345679");
    expect(() => addNumbers("99999999999999999999999999999999999999", "1")).not.toThrow();
  });
});
