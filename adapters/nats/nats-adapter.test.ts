/**
 * The `nats` adapter on a real nats-server: `nats:request` against a responder written here
 * with the NATS client (a microservice already on NATS), its failures (no responders,
 * timeout, the micro services error headers, bad parameters), `nats:publish` seen by a
 * subscriber, and a workflow end to end on an engine built from the config's `nats` section.
 * Each test uses its own subjects on the file's server.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { connect, headers as natsHeaders, type Msg, type NatsConnection } from "@nats-io/transport-node";
import { createEngine } from "../../index.js";
import { TaskError, type AdapterTask } from "../../runtime/ports/adapter.js";
import { parseResource } from "../../translators/dataflow/resource.js";
import type { Json, JsonObject } from "../../translators/json.js";
import { freePort, startNatsServer, type NatsServer } from "../../test/support/nats-server.js";
import { createNatsAdapter, NatsAdapter } from "./index.js";

let server: NatsServer;
let client: NatsConnection;
let n = 0;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  server = await startNatsServer();
  client = await connect({ servers: server.url, name: "nats-adapter-test" });
}, 30_000);

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

afterAll(async () => {
  await client?.close();
  await server?.stop();
});

/** A subject no other test uses. */
const subject = (what: string): string => `test.${++n}.${what}`;

function adapter(): NatsAdapter {
  const a = createNatsAdapter({ nats: { servers: server.url } });
  if (!a) throw new Error("createNatsAdapter made no adapter for a config with nats");
  cleanups.push(() => a.close());
  return a;
}

const task = (resource: string, payload: Json, signal = new AbortController().signal): AdapterTask => ({
  taskId: `t${++n}`, resource: parseResource(resource), payload, stateName: "Call", executionArn: "arn:aws:states:us-east-1:123456789012:execution:flow:x",
  signal, heartbeat: () => undefined,
});

const REQUEST = "arn:aws:states:::nats:request";
const PUBLISH = "arn:aws:states:::nats:publish";

/** A microservice on `subj`, answering each request with `answer(msg)`; subscribed once this resolves. */
async function responder(subj: string, answer: (msg: Msg) => void): Promise<Msg[]> {
  const seen: Msg[] = [];
  const sub = client.subscribe(subj, { callback: (_err, msg) => (seen.push(msg), answer(msg)) });
  cleanups.push(async () => sub.unsubscribe());
  await client.flush();
  return seen;
}

async function failure(run: Promise<unknown>): Promise<TaskError> {
  const e = await run.then(() => undefined, (err: unknown) => err);
  if (!(e instanceof TaskError)) throw new Error(`expected a TaskError, got ${String(e)}`);
  return e;
}

describe("nats:request", () => {
  it("sends the Payload as JSON text with the Headers, and answers the reply parsed with its headers", async () => {
    const subj = subject("price");
    const seen = await responder(subj, (msg) => {
      const h = natsHeaders();
      h.set("Served-By", "pricing");
      const asked = msg.json<{ sku: string; qty: number }>();
      msg.respond(JSON.stringify({ sku: asked.sku, total: asked.qty * 3 }), { headers: h });
    });
    const result = await adapter().run(task(REQUEST, { Subject: subj, Payload: { sku: "A1", qty: 4 }, Headers: { "Trace-Id": "abc", Attempt: 2 } }));
    expect(result).toEqual({ Payload: { sku: "A1", total: 12 }, Headers: { "Served-By": "pricing" } });
    expect(seen).toHaveLength(1);
    expect(new TextDecoder().decode(seen[0]?.data)).toBe('{"sku":"A1","qty":4}');
    expect(seen[0]?.headers?.get("Trace-Id")).toBe("abc");
    expect(seen[0]?.headers?.get("Attempt")).toBe("2");
  });

  it("sends a string Payload as it is and answers a reply that is not JSON as its text", async () => {
    const subj = subject("echo");
    await responder(subj, (msg) => msg.respond(`echo: ${msg.string()}`));
    expect(await adapter().run(task(REQUEST, { Subject: subj, Payload: "hello" }))).toEqual({ Payload: "echo: hello", Headers: {} });
  });

  it("fails with Nats.NoResponders when nobody listens on the subject", async () => {
    const e = await failure(adapter().run(task(REQUEST, { Subject: subject("nobody"), Payload: {} })));
    expect(e.error).toBe("Nats.NoResponders");
    expect(e.cause).toMatch(/no responders/);
  });

  it("fails with Nats.Timeout when no reply comes within TimeoutSeconds", async () => {
    const subj = subject("silent");
    const seen = await responder(subj, () => undefined);
    const e = await failure(adapter().run(task(REQUEST, { Subject: subj, Payload: {}, TimeoutSeconds: 0.3 })));
    expect(e.error).toBe("Nats.Timeout");
    expect(seen).toHaveLength(1);
  });

  it("fails with Nats.ServiceError, the message as Cause, when the reply carries the micro services error headers", async () => {
    const subj = subject("stock");
    await responder(subj, (msg) => {
      const h = natsHeaders();
      h.set("Nats-Service-Error", "out of stock");
      h.set("Nats-Service-Error-Code", "409");
      msg.respond("", { headers: h });
    });
    const e = await failure(adapter().run(task(REQUEST, { Subject: subj, Payload: {} })));
    expect([e.error, e.cause]).toEqual(["Nats.ServiceError", "out of stock"]);
  });

  it("stops waiting when the Task stops", async () => {
    const subj = subject("slow");
    await responder(subj, () => undefined);
    const stop = new AbortController();
    const started = Date.now();
    const run = adapter().run(task(REQUEST, { Subject: subj, Payload: {}, TimeoutSeconds: 600 }, stop.signal));
    setTimeout(() => stop.abort(), 50);
    const e = await failure(run);
    expect(e.error).toBe("States.TaskFailed");
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("refuses bad parameters with States.Runtime naming the field", async () => {
    const a = adapter();
    const cases: [JsonObject, RegExp][] = [
      [{ Payload: {} }, /'Subject'.*must be a string/],
      [{ Subject: "orders.*", Payload: {} }, /'Subject'.*wildcard/],
      [{ Subject: "orders..new" }, /'Subject'.*empty token/],
      [{ Subject: "a", TimeoutSeconds: 0 }, /'TimeoutSeconds'/],
      [{ Subject: "a", Headers: { "Bad Name": "x" } }, /header name 'Bad Name'/],
      [{ Subject: "a", Headers: { Ok: { nested: true } } }, /header 'Ok'/],
      [{ Subject: "a", Body: 1 }, /field 'Body' is not supported/],
    ];
    for (const [params, message] of cases) {
      const e = await failure(a.run(task(REQUEST, params)));
      expect(e.error, JSON.stringify(params)).toBe("States.Runtime");
      expect(e.cause, JSON.stringify(params)).toMatch(message);
    }
    const e = await failure(a.run(task(PUBLISH, { Subject: "a", TimeoutSeconds: 1 })));
    expect(e.cause).toMatch(/'TimeoutSeconds' is not supported for nats:publish/);
  });
});

describe("nats:publish", () => {
  it("publishes the Payload with its Headers to a subscriber and answers the Subject", async () => {
    const subj = subject("created");
    const seen: Msg[] = [];
    const sub = client.subscribe(subj, { callback: (_err, msg) => void seen.push(msg) });
    cleanups.push(async () => sub.unsubscribe());
    await client.flush();
    expect(await adapter().run(task(PUBLISH, { Subject: subj, Payload: { id: 7 }, Headers: { "Nats-Msg-Id": "order-7" } }))).toEqual({ Subject: subj });
    await until(() => seen.length === 1, "the published message");
    expect(seen[0]?.json()).toEqual({ id: 7 });
    expect(seen[0]?.headers?.get("Nats-Msg-Id")).toBe("order-7");
  });

  it("fails with Nats.ConnectionError when the server cannot be reached", async () => {
    const a = createNatsAdapter({ nats: { servers: `nats://127.0.0.1:${await freePort()}` } }) as NatsAdapter;
    cleanups.push(() => a.close());
    const e = await failure(a.run(task(PUBLISH, { Subject: "a" })));
    expect(e.error).toBe("Nats.ConnectionError");
  });
});

describe("createNatsAdapter", () => {
  it("makes no adapter for a config without a nats section", () => {
    expect(createNatsAdapter({})).toBeUndefined();
  });

  it("runs a workflow on an engine: a request, a Catch of Nats.NoResponders, a publish of the result", async () => {
    const prices = subject("prices");
    const done = subject("done");
    await responder(prices, (msg) => msg.respond(JSON.stringify({ price: msg.json<{ qty: number }>().qty * 5 })));
    const published: Json[] = [];
    const sub = client.subscribe(done, { callback: (_err, msg) => void published.push(msg.json()) });
    cleanups.push(async () => sub.unsubscribe());
    await client.flush();
    const engine = createEngine({ adapters: [adapter()] });
    cleanups.push(() => engine.close());
    const flow = {
      StartAt: "Price",
      States: {
        Price: {
          Type: "Task", Resource: REQUEST, Parameters: { Subject: prices, "Payload.$": "$.order" }, ResultSelector: { "price.$": "$.Payload.price" }, ResultPath: "$.quote",
          Next: "Audit",
        },
        Audit: {
          Type: "Task", Resource: REQUEST, Parameters: { Subject: subject("audit"), Payload: {} }, ResultPath: null, Next: "Announce",
          Catch: [{ ErrorEquals: ["Nats.NoResponders"], ResultPath: "$.auditError", Next: "Announce" }],
        },
        Announce: { Type: "Task", Resource: PUBLISH, Parameters: { Subject: done, "Payload.$": "$.quote" }, ResultPath: "$.announced", End: true },
      },
    };
    const result = await engine.result(engine.startExecution(engine.createStateMachine("nats-flow", flow), { order: { qty: 3 } }));
    expect(result.status).toBe("SUCCEEDED");
    expect(result.output).toMatchObject({ quote: { price: 15 }, auditError: { Error: "Nats.NoResponders" }, announced: { Subject: done } });
    await until(() => published.length === 1, "the announcement");
    expect(published[0]).toEqual({ price: 15 });
  });
});

async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

