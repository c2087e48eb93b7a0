/**
 * The brief's order-processing workflow end to end: Task (Retry/Catch) → Choice → Parallel
 * (Lambda + SNS publish) → Map → Succeed/Fail. With its project config (Lambda-like functions
 * in worker threads, SNS-like topics delivering to SQS-like queues and to a function), with
 * in-process functions (`--functions functions.mjs`, the README's first command), and as a
 * user runs it with the built `aslan`.
 */
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runDefinition, type Json } from "../../index.js";
import { aslan, aslanRunJson, ensureBuilt } from "../support/cli.js";
import { eventTypes, eventually, example, openProject, snsMessage, statesEntered, type Project } from "../support/project.js";
import functions, { published } from "./functions.mjs";

const ex = example(import.meta.url);
const CONFIG = join(ex.dir, "aslan.config.mjs");
const definition = ex.text("order-processing.asl.json");
const input = ex.json("input.json");
const expected = ex.json("expected-output.json");
const outOfStock = { order: { id: "ord-1002", customer: "bob@example.com", items: [{ sku: "CHAIR-1", qty: 50, price: 80 }] } };

describe("order-processing with its project config (functions in workers, SNS topics, SQS queues)", () => {
  let project: Project;
  afterEach(async () => {
    await project?.close();
  });

  it("validates, charges and confirms in parallel, picks every item: the expected output; the confirmation reaches the customer-emails queue and EmailCustomer", async () => {
    project = await openProject(CONFIG);
    const r = await project.run(definition, input);
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toEqual(expected);
    expect(statesEntered(r.history)).toEqual(["ValidateOrder", "CheckInventory", "ProcessPayment", "ChargeCard", "SendConfirmation", "ProcessItems", "ProcessItem", "ProcessItem", "OrderComplete"]);
    expect(eventTypes(r.history).filter((t) => t === "MapIterationSucceeded")).toHaveLength(2);
    // The Parallel's result went to $.payment: ChargeCard's result and SNS's Publish answer.
    const exited = r.history.find((e) => e.type === "ParallelStateExited");
    const payment = (JSON.parse((exited?.["stateExitedEventDetails"] as { output: string }).output) as { payment: Json[] }).payment;
    expect(payment[0]).toEqual({ charged: 16.1, currency: "EUR", authorization: "auth-ord-1001" });
    expect(payment[1]).toMatchObject({ MessageId: expect.stringMatching(/^[0-9a-f-]{36}$/), SdkHttpMetadata: { HttpStatusCode: 200 } });

    const emails = await project.drain("customer-emails");
    expect(emails.map(snsMessage)).toEqual(["Order ord-1001 confirmed: 2 item(s), total 16.10"]);
    expect(JSON.parse(emails[0] ?? "{}")).toMatchObject({ Type: "Notification", TopicArn: "arn:aws:sns:us-east-1:123456789012:order-confirmations", MessageId: (payment[1] as { MessageId: string }).MessageId });
    await project.deliveries();
    expect(await eventually(() => project.logs, (l) => l.length > 0)).toEqual(["EmailCustomer: e-mail to the customer: Order ord-1001 confirmed: 2 item(s), total 16.10"]);
    expect(await project.drain("purchasing")).toEqual([]);
  });

  it("an item out of stock: OutOfStock alerts the purchasing queue, then OrderFailed", async () => {
    project = await openProject(CONFIG);
    const r = await project.run(definition, outOfStock);
    expect(r).toMatchObject({ status: "FAILED", cause: "Order processing failed" });
    expect(statesEntered(r.history)).toEqual(["ValidateOrder", "CheckInventory", "OutOfStock", "OrderFailed"]);
    expect((await project.drain("purchasing")).map(snsMessage)).toEqual(["Item out of stock"]);
    expect(await project.drain("customer-emails")).toEqual([]);
  });

  it("a function's OrderValidationError reaches Catch States.TaskFailed as Lambda's Node.js runtime reports it (errorType, errorMessage, trace)", async () => {
    project = await openProject(CONFIG);
    const r = await project.run(definition, { order: { id: "ord-0", items: [] } });
    expect(r).toMatchObject({ status: "FAILED", cause: "Order processing failed" });
    expect(statesEntered(r.history)).toEqual(["ValidateOrder", "OrderFailed"]);
    const failed = r.history.find((e) => e.type === "LambdaFunctionFailed")?.["lambdaFunctionFailedEventDetails"] as { error: string; cause: string };
    expect(failed.error).toBe("OrderValidationError");
    expect(JSON.parse(failed.cause)).toMatchObject({ errorType: "OrderValidationError", errorMessage: "an order needs at least one item", trace: expect.any(Array) });
  });

  it("retries Lambda.ServiceException after 2 s and 4 s (BackoffRate 2), in virtual time", async () => {
    project = await openProject(CONFIG, {
      virtualTime: true,
      change: (c) => ({ ...c, functions: { ...c.functions, ValidateOrder: { handler: join(ex.dir, "test-handlers/flaky-validate-order.mjs"), concurrency: 1 } } }),
    });
    const started = Date.now();
    const r = await project.run(definition, input);
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toEqual(expected);
    const scheduled = r.history.filter((e) => e.type === "LambdaFunctionScheduled").slice(0, 3).map((e) => e.timestamp);
    expect(scheduled[1]! - scheduled[0]!).toBeGreaterThanOrEqual(2000);
    expect(scheduled[1]! - scheduled[0]!).toBeLessThan(2500);
    expect(scheduled[2]! - scheduled[1]!).toBeGreaterThanOrEqual(4000);
    expect(scheduled[2]! - scheduled[1]!).toBeLessThan(4500);
    expect(eventTypes(r.history).filter((t) => t === "LambdaFunctionFailed")).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("runs the brief's definition as written (seed.asl.json), and fails where AWS fails", async () => {
    // ProcessPayment has no ResultPath, so its output is the array of branch results and
    // ProcessItems' ItemsPath $.order.items selects nothing: States.Runtime, as on AWS.
    project = await openProject(CONFIG);
    const r = await project.run(ex.text("seed.asl.json"), input);
    expect(r).toMatchObject({ status: "FAILED", error: "States.Runtime" });
    expect(r.cause).toMatch(/state 'ProcessItems'.*Invalid path '\$\.order\.items'/);
    expect(statesEntered(r.history).at(-1)).toBe("ProcessItems");
  });
});

describe("order-processing with in-process functions (functions.mjs)", () => {
  beforeEach(() => {
    published.length = 0;
  });

  it("charges, confirms by SNS and processes every item", async () => {
    const r = await runDefinition(definition, input, { functions });
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toEqual(expected);
    expect(published).toEqual([
      { TopicArn: "arn:aws:sns:us-east-1:123456789012:order-confirmations", Message: "Order ord-1001 confirmed: 2 item(s), total 16.10" },
    ]);
    expect(eventTypes(r.history).filter((t) => t === "MapIterationSucceeded")).toHaveLength(2);
  });

  it("alerts and fails when an item is out of stock", async () => {
    const r = await runDefinition(definition, outOfStock, { functions });
    expect(r).toMatchObject({ status: "FAILED", cause: "Order processing failed" });
    expect(published).toEqual([{ TopicArn: "arn:aws:sns:us-east-1:123456789012:inventory-alerts", Message: "Item out of stock" }]);
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
    const r = await runDefinition(definition, input, { functions: flaky, virtualTime: true });
    expect(r.status).toBe("SUCCEEDED");
    const scheduled = r.history.filter((e) => e.type === "LambdaFunctionScheduled").slice(0, 3).map((e) => e.timestamp);
    expect(scheduled[1]! - scheduled[0]!).toBe(2000);
    expect(scheduled[2]! - scheduled[1]!).toBe(4000);
  });
});

describe("order-processing with the built aslan, as the README runs it", () => {
  beforeAll(ensureBuilt, 120_000);

  it("aslan run --config: the expected output, and EmailCustomer's log line on stderr", async () => {
    const r = await aslanRunJson(["examples/order-processing/order-processing.asl.json", "--input", "@examples/order-processing/input.json", "--config", "examples/order-processing/aslan.config.mjs"]);
    expect(r.code).toBe(0);
    expect(r).toMatchObject({ status: "SUCCEEDED", output: expected });
    expect(r.stderr).toContain("e-mail to the customer: Order ord-1001 confirmed: 2 item(s), total 16.10");
  });

  it("aslan run --functions (the README's first command) still runs it", async () => {
    const r = await aslan(["run", "examples/order-processing/order-processing.asl.json", "--input", "@examples/order-processing/input.json", "--functions", "examples/order-processing/functions.mjs"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^SUCCEEDED\n/);
    expect(r.stdout).toContain('"sku": "PEN-7"');
  });
});
