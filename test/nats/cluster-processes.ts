/**
 * Distributed mode as a user runs it, for tests: a nats-server, `aslan serve --nats` runtime
 * nodes and `aslan worker` processes (the built CLI) in one temp project directory, each
 * process stopped by its pid when the cluster stops.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll } from "vitest";
import { SFNClient } from "@aws-sdk/client-sfn";
import { CLI, ensureBuilt } from "../cli/built-cli.js";
import { serve, type Served } from "../cli/serve-process.js";
import { startNatsServer, type NatsServer } from "../support/nats-server.js";

export const ROLE = "arn:aws:iam::123456789012:role/aslan";

export interface ClusterNode {
  readonly served: Served;
  readonly sfn: SFNClient;
}

export interface ClusterWorker {
  readonly child: ChildProcess;
  /** What it has printed on stdout so far (its JSON log). */
  output(): string;
}

export interface Cluster {
  /** The project directory: its `aslan.config.mjs`, and where nodes and workers run. */
  readonly dir: string;
  readonly nats: NatsServer;
  /** The nodes started so far. */
  readonly nodes: readonly ClusterNode[];
  /** Starts an `aslan serve --nats` node (with `extra` options); resolves once it listens. */
  node(...extra: string[]): Promise<ClusterNode>;
  /** Starts an `aslan worker --nats` process; resolves once it logs that it is ready. */
  worker(...args: string[]): Promise<ClusterWorker>;
  /** Kills every node and worker by pid, stops nats-server and removes the directory. */
  stop(): Promise<void>;
}

/** A cluster whose project config is `config` (the text of `aslan.config.mjs`). */
export async function startCluster(config = "export default {};\n"): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), "aslan-cluster-"));
  writeFileSync(join(dir, "aslan.config.mjs"), config);
  const nats = await startNatsServer().catch((e: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  });
  const processes: ChildProcess[] = [];
  const clients: SFNClient[] = [];
  const nodes: ClusterNode[] = [];
  return {
    dir,
    nats,
    nodes,
    async node(...extra) {
      const served = serve(["--nats", nats.url, "--port", "0", "--sweep-seconds", "1", "--log-level", "warn", ...extra], {}, dir);
      processes.push(served.child);
      const url = await served.url;
      const sfn = new SFNClient({ endpoint: url, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" }, maxAttempts: 1 });
      clients.push(sfn);
      const node = { served, sfn };
      nodes.push(node);
      return node;
    },
    async worker(...args) {
      const child = spawn(process.execPath, [CLI, "worker", "--nats", nats.url, ...args], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
      processes.push(child);
      let out = "";
      let err = "";
      child.stderr?.on("data", (b: Buffer) => (err += b.toString()));
      await new Promise<void>((resolve, reject) => {
        child.stdout?.on("data", (b: Buffer) => {
          out += b.toString();
          if (out.includes("worker ready")) resolve();
        });
        child.once("exit", (code) => reject(new Error(`aslan worker exited ${String(code)}: ${err}`)));
      });
      return { child, output: () => out };
    },
    async stop() {
      for (const sfn of clients) sfn.destroy();
      await Promise.all(processes.map(killed));
      await nats.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * For a test file: builds the CLI before its tests, and stops every cluster a test started
 * (`start`) after that test. `live` lists the clusters of the test running now.
 */
export function clustersPerTest(): { start(config?: string): Promise<Cluster>; readonly live: readonly Cluster[] } {
  const live: Cluster[] = [];
  beforeAll(async () => {
    await ensureBuilt();
  }, 180_000);
  afterEach(async () => {
    await Promise.all(live.splice(0).map((c) => c.stop()));
  });
  return {
    live,
    async start(config) {
      const c = await startCluster(config);
      live.push(c);
      return c;
    },
  };
}

/** Kills a child by its pid and resolves once it has exited. */
function killed(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  process.kill(child.pid ?? 0, "SIGKILL");
  return gone;
}

/** Waits for `check` to hold, for up to `ms`. */
export async function until(what: string, check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The AWS error name a call failed with (the SDK's exception name), or "none" when it succeeded. */
export async function errorOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "none";
  } catch (e) {
    return (e as Error).name;
  }
}
