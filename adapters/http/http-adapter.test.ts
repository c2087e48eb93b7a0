/**
 * The HTTP Task (`arn:aws:states:::http:invoke`) through the engine, against a server on a
 * random loopback port: the request it makes, AWS's output shape, States.Http.StatusCode.<n>
 * and States.Http.Socket caught by Catch, URL-encoded bodies, and connection authorization.
 */
import { describe, it, expect, beforeAll, afterAll, beforeEach } from "vitest";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createEngine, type Engine, type ExecutionResult } from "../../index.js";
import { AdapterTaskBus } from "../../runtime/bus/adapter-task-bus.js";
import type { ConnectionConfig } from "../../runtime/config/project-config.js";
import type { Json, JsonObject } from "../../translators/json.js";
import { HttpAdapter } from "./http-adapter.js";
import { urlEncode } from "./url-encoding.js";
import { createHttpAdapter } from "./index.js";

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
}

let server: Server;
let base: string;
let seen: Seen[] = [];
let tokensIssued = 0;
let hangingClosed: Promise<void>;
let onHangingClosed: () => void = () => undefined;

const routes: Record<string, (req: Seen, res: ServerResponse) => void> = {
  "/json": (_req, res) => {
    res.setHeader("Set-Cookie", ["a=1", "b=2"]);
    res.writeHead(200, { "Content-Type": "application/json; charset=utf-8", "X-Custom": "yes" }).end(JSON.stringify({ ok: true, n: [1, 2] }));
  },
  "/text": (_req, res) => res.writeHead(201, { "Content-Type": "text/plain" }).end("plain words"),
  "/missing": (_req, res) => res.writeHead(404, "Not Found", { "Content-Type": "application/json" }).end(JSON.stringify({ message: "no such order" })),
  "/token": (req, res) => {
    tokensIssued += 1;
    const ok = req.headers.authorization === `Basic ${Buffer.from("client:secret").toString("base64")}` && req.body === "grant_type=client_credentials&scope=orders";
    if (!ok) return void res.writeHead(401).end();
    res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ access_token: `tok-${tokensIssued}`, token_type: "Bearer", expires_in: 3600 }));
  },
  "/secured": (req, res) => {
    // Only the newest token is good: an older one is refused as expired.
    const good = req.headers.authorization === `Bearer tok-${tokensIssued}`;
    res.writeHead(good ? 200 : 401, { "Content-Type": "application/json" }).end(JSON.stringify({ auth: req.headers.authorization ?? null }));
  },
};

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const s: Seen = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      seen.push(s);
      const path = (req.url ?? "").split("?")[0] ?? "";
      if (path === "/hang") {
        res.on("close", () => onHangingClosed());
        return;
      }
      (routes[path] ?? ((_r, w) => w.writeHead(200, { "Content-Type": "application/json" }).end("{}")))(s, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  seen = [];
  hangingClosed = new Promise((resolve) => (onHangingClosed = resolve));
});

const CONNECTIONS: Record<string, ConnectionConfig> = {
  key: { authorization: { type: "API_KEY", name: "x-api-key", value: "k-123" }, headers: { "x-tenant": "acme" }, queryParameters: { region: "eu" } },
  basic: { authorization: { type: "BASIC", username: "user", password: "pw" } },
  oauth: { authorization: { type: "OAUTH_CLIENT_CREDENTIALS", tokenUrl: "", clientId: "client", clientSecret: "secret", scope: "orders" } },
};

function engineWith(adapter = new HttpAdapter({ connections: { ...CONNECTIONS, oauth: { authorization: { ...(CONNECTIONS["oauth"]?.authorization as ConnectionConfig["authorization"]), tokenUrl: `${base}/token` } as ConnectionConfig["authorization"] } } })): Engine {
  return createEngine({ taskBus: new AdapterTaskBus([adapter]), virtualTime: true });
}

const invoke = (parameters: object, extra: object = {}): object => ({
  StartAt: "Call",
  States: { Call: { Type: "Task", Resource: "arn:aws:states:::http:invoke", Parameters: parameters, ...extra, End: true } },
});

async function run(engine: Engine, definition: object, input: Json = {}): Promise<ExecutionResult> {
  const r = await engine.result(engine.startExecution(engine.createStateMachine(`h${Math.random().toString(36).slice(2)}`, definition), input));
  return r;
}

const connectionArn = (name: string): string => `arn:aws:events:us-east-1:123456789012:connection/${name}/0b6e5a1c-1a2b-4c3d-9e8f-001122334455`;

describe("http:invoke", () => {
  it("makes the request the Task describes and returns {Headers, ResponseBody, StatusCode, StatusText}", async () => {
    const engine = engineWith();
    const params = {
      "ApiEndpoint.$": "States.Format('{}/json?fixed=1', $.base)", Method: "POST",
      Authentication: { ConnectionArn: connectionArn("key") },
      Headers: { "x-request": "r1" }, QueryParameters: { q: "a b", many: ["x", "y"] }, RequestBody: { "order.$": "$.order" },
    };
    const r = await run(engine, invoke(params), { base, order: { id: 1 } });
    engine.close();
    expect(r.status).toBe("SUCCEEDED");
    const out = r.output as JsonObject;
    expect(Object.keys(out)).toEqual(["Headers", "ResponseBody", "StatusCode", "StatusText"]);
    expect(out).toMatchObject({ ResponseBody: { ok: true, n: [1, 2] }, StatusCode: 200, StatusText: "OK" });
    expect((out["Headers"] as JsonObject)["x-custom"]).toEqual(["yes"]);
    expect((out["Headers"] as JsonObject)["set-cookie"]).toEqual(["a=1", "b=2"]);
    const req = seen[0] as Seen;
    expect(req.method).toBe("POST");
    const url = new URL(req.url, base);
    expect(url.pathname).toBe("/json");
    expect([...url.searchParams]).toEqual([["fixed", "1"], ["q", "a b"], ["many", "x"], ["many", "y"], ["region", "eu"]]);
    expect(req.headers).toMatchObject({
      "x-request": "r1", "x-api-key": "k-123", "x-tenant": "acme", "content-type": "application/json; charset=UTF-8",
      "user-agent": "Amazon|StepFunctions|HttpInvoke|us-east-1", range: "bytes=0-262144",
    });
    expect(JSON.parse(req.body)).toEqual({ order: { id: 1 } });
  });

  it("a body that is not JSON is returned as text", async () => {
    const engine = engineWith();
    const r = await run(engine, invoke({ ApiEndpoint: `${base}/text`, Method: "GET", Authentication: { ConnectionArn: connectionArn("basic") } }));
    engine.close();
    expect(r.output).toMatchObject({ ResponseBody: "plain words", StatusCode: 201, StatusText: "Created" });
    expect(seen[0]?.headers.authorization).toBe(`Basic ${Buffer.from("user:pw").toString("base64")}`);
  });

  it("a non-2xx answer fails with States.Http.StatusCode.<n>, caught by Catch, with the response as the cause", async () => {
    const engine = engineWith();
    const definition = {
      StartAt: "Call",
      States: {
        Call: {
          Type: "Task", Resource: "arn:aws:states:::http:invoke", Parameters: { ApiEndpoint: `${base}/missing`, Method: "GET" },
          Catch: [{ ErrorEquals: ["States.Http.StatusCode.404"], ResultPath: "$.error", Next: "NotFound" }], End: true,
        },
        NotFound: { Type: "Pass", End: true },
      },
    };
    const r = await run(engine, definition, { id: 3 });
    const only500 = { ...definition, States: { ...definition.States, Call: { ...definition.States.Call, Catch: [{ ErrorEquals: ["States.Http.StatusCode.500"], Next: "NotFound" }] } } };
    const other = await run(engine, only500);
    engine.close();
    expect(r.status).toBe("SUCCEEDED");
    const error = (r.output as JsonObject)["error"] as JsonObject;
    expect(error["Error"]).toBe("States.Http.StatusCode.404");
    expect(JSON.parse(String(error["Cause"]))).toMatchObject({ ResponseBody: { message: "no such order" }, StatusCode: 404, StatusText: "Not Found" });
    expect(other.status).toBe("FAILED");
    expect(other.error).toBe("States.Http.StatusCode.404");
  });

  it("an endpoint that refuses the connection fails with States.Http.Socket, caught by Catch", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const engine = engineWith();
    const definition = {
      StartAt: "Call",
      States: {
        Call: { Type: "Task", Resource: "arn:aws:states:::http:invoke", Parameters: { ApiEndpoint: `http://127.0.0.1:${port}/x`, Method: "GET" }, Catch: [{ ErrorEquals: ["States.Http.Socket"], Next: "Down" }], End: true },
        Down: { Type: "Pass", End: true },
      },
    };
    const r = await run(engine, definition);
    engine.close();
    expect(r.output).toMatchObject({ Error: "States.Http.Socket" });
    expect(String((r.output as JsonObject)["Cause"])).toContain("ECONNREFUSED");
  });

  it("an endpoint that does not answer in time fails with States.Http.Socket", async () => {
    const engine = engineWith(new HttpAdapter({ timeoutMs: 200 }));
    const r = await run(engine, invoke({ ApiEndpoint: `${base}/hang`, Method: "GET" }));
    engine.close();
    expect(r.error).toBe("States.Http.Socket");
    expect(r.cause).toBe("The HTTP request timed out.");
    await hangingClosed;
  });

  it("stopping the execution aborts the request in flight", async () => {
    const engine = engineWith();
    const exec = engine.startExecution(engine.createStateMachine("stop", invoke({ ApiEndpoint: `${base}/hang`, Method: "GET" })), {});
    while (seen.length === 0) await new Promise((r) => setTimeout(r, 10));
    engine.stopExecution(exec, "Stopped", "by test");
    await hangingClosed;
    expect((await engine.result(exec)).status).toBe("ABORTED");
    engine.close();
  });

  it("Transform URL_ENCODED sends a form body with the ArrayFormat asked for", async () => {
    const engine = engineWith();
    const params = {
      ApiEndpoint: `${base}/form`, Method: "POST", RequestBody: { name: "a b", tags: ["x", "y"], nested: { k: 1 } },
      Transform: { RequestBodyEncoding: "URL_ENCODED", RequestEncodingOptions: { ArrayFormat: "BRACKETS" } },
    };
    const r = await run(engine, invoke(params));
    engine.close();
    expect(r.status).toBe("SUCCEEDED");
    expect(seen[0]?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect([...new URLSearchParams(seen[0]?.body)]).toEqual([["name", "a b"], ["tags[]", "x"], ["tags[]", "y"], ["nested[k]", "1"]]);
  });

  it("OAuth client credentials: a token fetched once and reused, fetched again when the API refuses it", async () => {
    const engine = engineWith();
    tokensIssued = 0;
    const call = invoke({ ApiEndpoint: `${base}/secured`, Method: "GET", Authentication: { ConnectionArn: connectionArn("oauth") } });
    const first = await run(engine, call);
    const second = await run(engine, call);
    expect(first.output).toMatchObject({ StatusCode: 200, ResponseBody: { auth: "Bearer tok-1" } });
    expect(second.output).toMatchObject({ ResponseBody: { auth: "Bearer tok-1" } });
    expect(tokensIssued).toBe(1);
    tokensIssued += 1; // the server moves on: tok-1 is refused from now on
    const third = await run(engine, call);
    engine.close();
    expect(third.output).toMatchObject({ StatusCode: 200, ResponseBody: { auth: "Bearer tok-3" } });
    expect(seen.filter((s) => s.url === "/token").every((s) => s.headers["content-type"] === "application/x-www-form-urlencoded")).toBe(true);
  });

  it("an unknown connection, a bad method and a reserved header fail clearly", async () => {
    const engine = engineWith();
    const unknown = await run(engine, invoke({ ApiEndpoint: `${base}/json`, Method: "GET", Authentication: { ConnectionArn: connectionArn("nope") } }));
    expect(unknown.error).toBe("Events.ConnectionResource.ResourceNotFound");
    const method = await run(engine, invoke({ ApiEndpoint: `${base}/json`, Method: "FETCH" }));
    expect(method.error).toBe("States.Runtime");
    const header = await run(engine, invoke({ ApiEndpoint: `${base}/json`, Method: "GET", Headers: { Authorization: "Bearer mine" } }));
    expect(header.error).toBe("States.Runtime");
    expect(header.cause).toContain("Authorization");
    engine.close();
    expect(seen).toEqual([]);
  });
});

describe("urlEncode", () => {
  it("encodes arrays as AWS documents for each ArrayFormat", () => {
    const body = { array: ["a", "b", "c", "d"] };
    const decoded = (text: string): string => decodeURIComponent(text);
    expect(decoded(urlEncode(body))).toBe("array[0]=a&array[1]=b&array[2]=c&array[3]=d");
    expect(decoded(urlEncode(body, "INDICES"))).toBe("array[0]=a&array[1]=b&array[2]=c&array[3]=d");
    expect(decoded(urlEncode(body, "REPEAT"))).toBe("array=a&array=b&array=c&array=d");
    expect(decoded(urlEncode(body, "COMMAS"))).toBe("array=a,b,c,d");
    expect(decoded(urlEncode(body, "BRACKETS"))).toBe("array[]=a&array[]=b&array[]=c&array[]=d");
  });
});

describe("createHttpAdapter", () => {
  it("takes the connections from the config and the region from the engine's account", async () => {
    const adapter = createHttpAdapter({ connections: { key: CONNECTIONS["key"] as ConnectionConfig } }, { engine: { account: { partition: "aws", region: "ap-south-1", accountId: "1" } } });
    const engine = engineWith(adapter);
    await run(engine, invoke({ ApiEndpoint: `${base}/json`, Method: "GET", Authentication: { ConnectionArn: "key" } }));
    engine.close();
    expect(seen[0]?.headers).toMatchObject({ "user-agent": "Amazon|StepFunctions|HttpInvoke|ap-south-1", "x-api-key": "k-123" });
  });
});
