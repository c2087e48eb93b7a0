/**
 * The brief's order-fulfillment workflow end to end: validate-order (Retry on Lambda's
 * transient errors, Catch OrderValidationError) → CheckInventory → ReserveAndCharge (DynamoDB
 * updateItem with States.Format ‖ charge-payment with Catch PaymentDeclinedError) → ShipOrder
 * (`lambda:invoke.waitForTaskToken`, confirmed by SendTaskSuccess) → NotifyShipped (SNS with
 * States.Format). The shipped path runs as the README does it: the built `aslan serve --config`
 * and the AWS SDK; the other paths on the engine `aslan run --config` builds.
 */
import { join } from "node:path";
import { CreateStateMachineCommand, SendTaskFailureCommand, SendTaskSuccessCommand, StartExecutionCommand, type SFNClient } from "@aws-sdk/client-sfn";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Json, JsonObject } from "../../index.js";
import { TaskTimedOut } from "../../runtime/engine/engine.js";
import { aslanRunJson, aslanServe, ensureBuilt, historyOf, receive, settled, waitForTaskToken, type Server } from "../support/cli.js";
import { eventually, example, openProject, snsMessage, stable, statesEntered, type Project } from "../support/project.js";

const ex = example(import.meta.url);
const CONFIG = join(ex.dir, "aslan.config.mjs");
const definition = ex.text("order-fulfillment.asl.json");
const input = ex.json<JsonObject>("input.json");
const inventory = ex.json("inventory.json");
const ROLE = "arn:aws:iam::123456789012:role/demo";
const keyboard = { productId: { S: "KEYBOARD-9" } };

describe("order-fulfillment through aslan serve --config and the AWS SDK (as the README runs it)", () => {
  let server: Server;
  beforeAll(async () => {
    await ensureBuilt();
    server = await aslanServe(["--config", "examples/order-fulfillment/aslan.config.mjs"]);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  const create = async (sfn: SFNClient, name: string, file: string): Promise<string> =>
    (await sfn.send(new CreateStateMachineCommand({ name, roleArn: ROLE, definition: ex.text(file) }))).stateMachineArn ?? "";
  const start = async (sfn: SFNClient, stateMachineArn: string, value: Json, name?: string): Promise<string> =>
    (await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(value), ...(name ? { name } : {}) }))).executionArn ?? "";

  it("seeds the inventory, reserves and charges, waits for the carrier's SendTaskSuccess, notifies by SNS: the expected output, the item updated, the message in the subscribed queue", async () => {
    const { sfn, sqs } = server;
    const seeded = await settled(sfn, await start(sfn, await create(sfn, "seed-inventory", "seed-inventory.asl.json"), inventory));
    expect(seeded.status).toBe("SUCCEEDED");
    const fulfillment = await create(sfn, "order-fulfillment", "order-fulfillment.asl.json");
    const show = await create(sfn, "show-inventory", "show-inventory.asl.json");
    const stock = async (): Promise<Json> => JSON.parse((await settled(sfn, await start(sfn, show, { productId: "KEYBOARD-9" }))).output ?? "null") as Json;
    expect(await stock()).toEqual({ productId: { S: "KEYBOARD-9" }, stock: { N: "25" }, reserved: { N: "0" } });

    const arn = await start(sfn, fulfillment, input, "ord-2001");
    // ShipOrder passes $$.Task.Token to initiate-shipment; the README reads it from the history (or the log).
    const token = await waitForTaskToken(sfn, arn);
    expect(token).toMatch(/^[A-Za-z0-9+/=_-]{40,}$/);
    const logged = (): boolean => server.served.lines.some((l) => l["function"] === "initiate-shipment" && String(l["msg"]).endsWith(token));
    expect(await eventually(logged, (found) => found)).toBe(true);
    expect(await stock()).toEqual({ productId: { S: "KEYBOARD-9" }, stock: { N: "25" }, reserved: { N: "2" } });

    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ carrier: "DHL", trackingNumber: "JD014600003SE" }) }));
    const done = await settled(sfn, arn);
    expect(done.status).toBe("SUCCEEDED");
    expect(stable(JSON.parse(done.output ?? "null"))).toEqual(ex.json("expected-output.json"));

    const history = await historyOf(sfn, arn);
    const entered = history.filter((e) => e.stateEnteredEventDetails).map((e) => e.stateEnteredEventDetails?.name);
    expect(entered).toEqual(["ValidateOrder", "CheckInventory", "ReserveAndCharge", "ReserveInventory", "ChargePayment", "ShipOrder", "NotifyShipped"]);
    const notifyInput = JSON.parse(history.find((e) => e.stateEnteredEventDetails?.name === "NotifyShipped")?.stateEnteredEventDetails?.input ?? "{}") as JsonObject;
    expect(notifyInput["shipment"]).toEqual({ carrier: "DHL", trackingNumber: "JD014600003SE" });
    expect(notifyInput["reservation"]).toMatchObject([{ SdkHttpMetadata: { HttpStatusCode: 200 } }, { chargeId: "ch-ord-2001", amount: 179.8, currency: "EUR" }]);

    expect((await receive(sqs, "customer-notifications")).map(snsMessage)).toEqual(["Order ord-2001 has shipped"]);
    // A token works once.
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: "{}" }))).rejects.toMatchObject({ name: "TaskTimedOut" });
  });

  it("a carrier's SendTaskFailure fails ShipOrder and the execution with its error; nothing is announced", async () => {
    const { sfn, sqs } = server;
    const arn = await start(sfn, await create(sfn, "order-fulfillment", "order-fulfillment.asl.json"), { ...input, orderId: "ord-2002" });
    const token = await waitForTaskToken(sfn, arn);
    await sfn.send(new SendTaskFailureCommand({ taskToken: token, error: "AddressNotFound", cause: "the carrier cannot deliver to this address" }));
    const done = await settled(sfn, arn);
    expect(done).toMatchObject({ status: "FAILED", error: "AddressNotFound", cause: "the carrier cannot deliver to this address" });
    expect(await receive(sqs, "customer-notifications", 0)).toEqual([]);
  });
});

describe("order-fulfillment's other paths on the engine (`aslan run --config`)", () => {
  let project: Project;
  const openSeeded = async (options: Parameters<typeof openProject>[1] = {}): Promise<Project> => {
    project = await openProject(CONFIG, options);
    expect((await project.run(ex.text("seed-inventory.asl.json"), inventory)).status).toBe("SUCCEEDED");
    return project;
  };
  afterEach(async () => {
    await project?.close();
  });

  it("an unknown product: OrderValidationError is caught into $.error and RejectOrder publishes it with States.Format", async () => {
    await openSeeded();
    const r = await project.run(definition, { ...input, orderId: "ord-2003", productId: "TOASTER-1" });
    expect(r.status).toBe("SUCCEEDED");
    expect(statesEntered(r.history)).toEqual(["ValidateOrder", "RejectOrder"]);
    const [message] = (await project.drain("customer-notifications")).map(snsMessage);
    const cause = JSON.parse(/^Order ord-2003 rejected: (.*)$/.exec(message ?? "")?.[1] ?? "null") as JsonObject;
    expect(cause).toMatchObject({ errorType: "OrderValidationError", errorMessage: "unknown product 'TOASTER-1'" });
    expect(await project.item("inventory", keyboard)).toMatchObject({ reserved: { N: "0" } });
  });

  it("out of stock: NotifyBackorder, no reservation", async () => {
    await openSeeded();
    const r = await project.run(definition, { ...input, orderId: "ord-2004", productId: "MOUSE-3", quantity: 1 });
    expect(r).toMatchObject({ status: "SUCCEEDED", output: { orderId: "ord-2004", status: "BACKORDERED", productId: "MOUSE-3", quantity: 1 } });
    expect(statesEntered(r.history)).toEqual(["ValidateOrder", "CheckInventory", "NotifyBackorder"]);
    expect(await project.item("inventory", { productId: { S: "MOUSE-3" } })).toMatchObject({ reserved: { N: "0" } });
  });

  it("a declined card: PaymentDeclinedError is caught, handle-declined-payment runs, the order fails without shipping (the reservation stays: see saga-compensation)", async () => {
    await openSeeded();
    const r = await project.run(definition, { ...input, orderId: "ord-2005", card: "4000000000000002" });
    expect(r).toMatchObject({ status: "FAILED", error: "PaymentDeclined" });
    expect(statesEntered(r.history)).toEqual(["ValidateOrder", "CheckInventory", "ReserveAndCharge", "ReserveInventory", "ChargePayment", "PaymentDeclined", "OrderPaymentDeclined"]);
    expect(await eventually(() => project.logs, (l) => l.length > 0)).toContain("handle-declined-payment: order ord-2005: payment declined (card ending 0002 was declined); asking ada@example.com for another card");
    expect(await project.item("inventory", keyboard)).toMatchObject({ reserved: { N: "2" } });
    expect(await project.drain("customer-notifications")).toEqual([]);
  });

  it("Lambda throttling (Lambda.TooManyRequestsException) is retried after 2 s and 4 s, in virtual time", async () => {
    await openSeeded({
      virtualTime: true,
      change: (c) => ({ ...c, functions: { ...c.functions, "validate-order": { handler: join(ex.dir, "test-handlers/throttled-validate-order.mjs"), concurrency: 1 } } }),
    });
    const r = await project.run(definition, { ...input, orderId: "ord-2006", productId: "MOUSE-3" });
    expect(r.status).toBe("SUCCEEDED");
    const attempts = r.history.filter((e) => e.type === "LambdaFunctionScheduled").slice(0, 3).map((e) => e.timestamp);
    expect(attempts[1]! - attempts[0]!).toBeGreaterThanOrEqual(2000);
    expect(attempts[1]! - attempts[0]!).toBeLessThan(2500);
    expect(attempts[2]! - attempts[1]!).toBeGreaterThanOrEqual(4000);
    expect(attempts[2]! - attempts[1]!).toBeLessThan(4500);
    expect(statesEntered(r.history)).toEqual(["ValidateOrder", "CheckInventory", "NotifyBackorder"]);
  });

  it("no shipment confirmation within TimeoutSeconds (86400 s, in virtual time): States.Timeout, and a late SendTaskSuccess is TaskTimedOut", async () => {
    await openSeeded({ virtualTime: true });
    const run = project.engine.startExecution(project.engine.createStateMachine("fulfillment-timeout", definition), { ...input, orderId: "ord-2007" });
    const r = await project.engine.result(run);
    expect(r).toMatchObject({ status: "FAILED", error: "States.Timeout" });
    const scheduled = r.history.find((e) => e.type === "TaskScheduled" && String((e["taskScheduledEventDetails"] as JsonObject)["parameters"]).includes("taskToken"));
    expect(r.history.at(-1)!.timestamp - scheduled!.timestamp).toBeGreaterThanOrEqual(86_400_000);
    const token = (JSON.parse(String((scheduled!["taskScheduledEventDetails"] as JsonObject)["parameters"])) as { Payload: { taskToken: string } }).Payload.taskToken;
    expect(() => project.engine.sendTaskSuccess(token, {})).toThrow(TaskTimedOut);
  });

  it("runs the brief's definition as written (seed.asl.json), and fails where AWS fails: ShipOrder's $.orderId is not in the Parallel's output array", async () => {
    await openSeeded();
    const r = await project.run(ex.text("seed.asl.json"), input);
    expect(r).toMatchObject({ status: "FAILED", error: "States.Runtime" });
    expect(r.cause).toMatch(/state 'ShipOrder'.*The JSONPath '\$\.orderId' specified for the field 'orderId\.\$' could not be found in the input '\[/);
  });

  it("without the seeded inventory, ReserveInventory fails as DynamoDB does: reserved + :qty on a missing attribute", async () => {
    project = await openProject(CONFIG);
    const r = await project.run(definition, input);
    expect(r).toMatchObject({ status: "FAILED", error: "DynamoDB.AmazonDynamoDBException" });
    expect(r.cause).toMatch(/^The provided expression refers to an attribute that does not exist in the item \(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ValidationException;/);
  });
});

describe("order-fulfillment with aslan run --config (the README's commands)", () => {
  beforeAll(ensureBuilt, 120_000);

  it("a rejected order runs to the end in one command; the seeded-inventory command prints the products", async () => {
    const rejected = await aslanRunJson(["examples/order-fulfillment/order-fulfillment.asl.json", "--config", "examples/order-fulfillment/aslan.config.mjs", "--input", '{"orderId":"ord-2008","productId":"TOASTER-1","quantity":1}']);
    expect(rejected).toMatchObject({ code: 0, status: "SUCCEEDED" });
    expect(rejected.history.filter((e) => e.type === "TaskStateEntered").map((e) => (e["stateEnteredEventDetails"] as { name: string }).name)).toEqual(["ValidateOrder", "RejectOrder"]);
    const seeded = await aslanRunJson(["examples/order-fulfillment/seed-inventory.asl.json", "--config", "examples/order-fulfillment/aslan.config.mjs", "--input", "@examples/order-fulfillment/inventory.json"]);
    expect(seeded).toMatchObject({ code: 0, status: "SUCCEEDED", output: (inventory as { products: Json }).products });
  });
});
