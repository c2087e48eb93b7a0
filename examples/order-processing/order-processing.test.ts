/**
 * The brief's order-processing workflow end to end with local functions:
 * Task (Retry/Catch) → Choice → Parallel (Lambda + SNS-like publish) → Map → Succeed/Fail.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeEach, describe, expect, it } from "vitest";
import { runDefinition, type Json } from "../../index.js";
import functions, { published } from "./functions.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const read = (f: string): string => readFileSync(join(here, f), "utf8");
const input = JSON.parse(read("input.json"));

describe("order-processing example", () => {
  beforeEach(() => {
    published.length = 0;
  });

  it("charges, confirms by SNS and processes every item", async () => {
    const r = await runDefinition(read("order-processing.asl.json"), input, { functions });
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toEqual([
      { sku: "BOOK-42", status: "PICKED", qty: 1 },
      { sku: "PEN-7", status: "PICKED", qty: 3 },
    ]);
    expect(published).toEqual([
      { TopicArn: "arn:aws:sns:us-east-1:123456789012:order-confirmations", Message: "Order ord-1001 confirmed: 2 item(s), total 16.10" },
    ]);
    const types = r.history.map((e) => e.type);
    expect(types[0]).toBe("ExecutionStarted");
    expect(types.filter((t) => t === "MapIterationSucceeded")).toHaveLength(2);
    expect(types.at(-1)).toBe("ExecutionSucceeded");
  });

  it("alerts and fails when an item is out of stock", async () => {
    const big = { order: { ...input.order, items: [{ sku: "CHAIR-1", qty: 50, price: 80 }] } };
    const r = await runDefinition(read("order-processing.asl.json"), big, { functions });
    expect(r).toMatchObject({ status: "FAILED", cause: "Order processing failed" });
    expect(published).toEqual([{ TopicArn: "arn:aws:sns:us-east-1:123456789012:inventory-alerts", Message: "Item out of stock" }]);
  });

  it("catches a validation error (States.TaskFailed) into OrderFailed", async () => {
    const r = await runDefinition(read("order-processing.asl.json"), { order: { id: "x", items: [] } }, { functions });
    expect(r).toMatchObject({ status: "FAILED", cause: "Order processing failed" });
    expect(r.history.map((e) => e.type)).toContain("LambdaFunctionFailed");
  });

  it("retries Lambda.ServiceException with backoff (2 s, then 4 s, in virtual time)", async () => {
    let calls = 0;
    const flaky = {
      ...functions,
      ValidateOrder: (i: Json) => {
        if (++calls < 3) throw Object.assign(new Error("throttled"), { name: "Lambda.ServiceException" });
        return functions.ValidateOrder(i);
      },
    };
    const r = await runDefinition(read("order-processing.asl.json"), input, { functions: flaky, virtualTime: true });
    expect(r.status).toBe("SUCCEEDED");
    const scheduled = r.history.filter((e) => e.type === "LambdaFunctionScheduled").slice(0, 3).map((e) => e.timestamp);
    expect(scheduled[1]! - scheduled[0]!).toBe(2000);
    expect(scheduled[2]! - scheduled[1]!).toBe(4000);
  });

  it("runs the brief's definition as written, and fails where AWS fails", async () => {
    // ProcessPayment has no ResultPath, so its output is the array of branch results and
    // ProcessItems' ItemsPath $.order.items selects nothing: States.Runtime, as on AWS.
    const r = await runDefinition(read("seed.asl.json"), input, { functions });
    expect(r.status).toBe("FAILED");
    expect(r.error).toBe("States.Runtime");
    expect(r.cause).toMatch(/state 'ProcessItems'.*Invalid path '\$\.order\.items'/);
  });
});
