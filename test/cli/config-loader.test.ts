/**
 * The project config loader: where it looks, the forms it reads (.mjs default export or
 * named exports, a function, .json), every shape problem at once with its path, and module
 * paths made absolute against the config file's directory.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadProjectConfig } from "../../runtime/config/load-config.js";

let root: string;
let n = 0;

/** A fresh directory holding `files`. */
function project(files: Record<string, string>): string {
  const dir = join(root, `p${++n}`);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

async function problems(options: { path?: string; cwd: string }): Promise<string> {
  try {
    await loadProjectConfig(options);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error("expected the config to be refused");
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "aslan-config-"));
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe("finding the config", () => {
  it("no config in the working directory: undefined (not an error)", async () => {
    expect(await loadProjectConfig({ cwd: project({}) })).toBeUndefined();
  });

  it("aslan.config.mjs in the working directory; function modules resolved against it, `#export` kept", async () => {
    const cwd = project({ "aslan.config.mjs": `export default { functions: { a: "./fns/a.mjs", b: { handler: "fns/b.mjs#charge", timeoutSeconds: 10 } } };`, "fns/a.mjs": "", "fns/b.mjs": "" });
    const loaded = await loadProjectConfig({ cwd });
    expect(loaded?.path).toBe(join(cwd, "aslan.config.mjs"));
    expect(loaded?.config.functions).toEqual({ a: { handler: join(cwd, "fns/a.mjs") }, b: { handler: `${join(cwd, "fns/b.mjs")}#charge`, timeoutSeconds: 10 } });
  });

  it("--config: a path relative to the working directory; modules relative to the config file, not the working directory", async () => {
    const elsewhere = project({ "conf/aslan.config.json": JSON.stringify({ functions: { f: "handlers/f.mjs" } }), "conf/handlers/f.mjs": "" });
    const loaded = await loadProjectConfig({ path: "conf/aslan.config.json", cwd: elsewhere });
    expect(loaded?.config.functions).toEqual({ f: { handler: join(elsewhere, "conf/handlers/f.mjs") } });
  });

  it("named exports and a default-exported function are configs too", async () => {
    const named = project({ "aslan.config.js": `export const tables = { Orders: { partitionKey: { name: "id", type: "S" } } };`, "package.json": `{"type":"module"}` });
    expect((await loadProjectConfig({ cwd: named }))?.config).toEqual({ tables: { Orders: { partitionKey: { name: "id", type: "S" } } } });
    const fn = project({ "aslan.config.mjs": `export default async () => ({ queues: { jobs: { fifo: false } } });` });
    expect((await loadProjectConfig({ cwd: fn }))?.config).toEqual({ queues: { jobs: { fifo: false } } });
  });

  it("two config files in one directory, or a --config that does not exist: a clear error", async () => {
    const both = project({ "aslan.config.mjs": "export default {};", "aslan.config.json": "{}" });
    expect(await problems({ cwd: both })).toMatch(/found .*aslan\.config\.mjs' and .*aslan\.config\.json': keep one, or choose with --config/);
    expect(await problems({ path: "nope.mjs", cwd: both })).toMatch(/cannot read config file '.*nope\.mjs': no such file/);
  });

  it("a file that does not parse or load says which and why", async () => {
    expect(await problems({ cwd: project({ "aslan.config.json": "{ functions: " }) })).toMatch(/cannot read config file '.*aslan\.config\.json': .*JSON/);
    expect(await problems({ cwd: project({ "aslan.config.mjs": "export default {" }) })).toMatch(/cannot load config file '.*aslan\.config\.mjs'/);
  });
});

describe("shape problems: every one at once, each with its path", () => {
  it("wrong types, out-of-range numbers, unknown keys and missing fields across sections", async () => {
    const cwd = project({
      "aslan.config.json": JSON.stringify({
        functions: { Charge: { handler: 42, timeoutSeconds: 0, memoryMb: 64.5, environment: { A: 1 } }, Refund: 7, Ship: { timeoutSeconds: 3 } },
        topics: { orders: { subscriptions: [{ protocol: "email", endpoint: "x" }, { endpoint: "q" }] } },
        tables: { Orders: { partitionKey: { name: "id", type: "X" } } },
        connections: { api: { authorization: { type: "API_KEY", name: "x-key" } } },
        forward: { s3: {} },
        funtions: {},
      }),
    });
    const message = await problems({ cwd });
    const lines = message.split("\n").slice(1).map((l) => l.trim());
    expect(lines).toEqual([
      "functions.Charge.handler: expected a string, found 42",
      "functions.Charge.timeoutSeconds: expected a number from 1 to 900, found 0",
      "functions.Charge.memoryMb: expected an integer from 32 to 10240, found 64.5",
      "functions.Charge.environment.A: expected a string, found 1",
      "functions.Refund: expected a string (the handler module) or an object, found 7",
      "functions.Ship.handler: required",
      'topics.orders.subscriptions[0].protocol: expected one of "lambda", "sqs", "http", "https", found "email"',
      "topics.orders.subscriptions[1].protocol: required",
      'tables.Orders.partitionKey.type: expected one of "S", "N", "B", found "X"',
      "connections.api.authorization.value: required",
      "forward.s3: unknown key (expected lambda, sns, sqs, dynamodb)",
      "funtions: unknown key (expected functions, topics, queues, tables, buckets, secrets, connections, nats, triggers, forward)",
    ]);
    expect(message.split("\n")[0]).toMatch(/^invalid config file '.*aslan\.config\.json':$/);
  });

  it("a function module that does not exist is a problem at its handler", async () => {
    const message = await problems({ cwd: project({ "aslan.config.json": JSON.stringify({ functions: { Ghost: "ghost.mjs#run" } }) }) });
    expect(message).toMatch(/functions\.Ghost\.handler: no such file '.*ghost\.mjs'/);
  });

  it("the config itself must be an object", async () => {
    expect(await problems({ cwd: project({ "aslan.config.json": "[1]" }) })).toMatch(/\(config\): expected an object, found an array/);
  });
});
