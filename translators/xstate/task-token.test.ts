import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { executionOfTaskToken, newTaskToken } from "./task-token.js";

describe("task tokens", () => {
  const arn = "arn:aws:states:us-east-1:123456789012:execution:Flow:run-1";

  it("name their execution and differ every time", () => {
    const a = newTaskToken(arn, randomUUID);
    const b = newTaskToken(arn, randomUUID);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(executionOfTaskToken(a)).toBe(arn);
  });

  it("give nothing for strings that are not tokens", () => {
    expect(executionOfTaskToken("short")).toBeUndefined();
    expect(executionOfTaskToken("x".repeat(200))).toBeUndefined();
  });
});
