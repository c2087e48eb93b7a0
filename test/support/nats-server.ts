/**
 * A throwaway JetStream server for one test file: `nats-server -js` on a random loopback
 * port with its own temp store directory, stopped by pid. `restart()` kills it (-9 or
 * TERM) and starts it again on the same port and directory, for fault tests.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "node:net";

export interface NatsServer {
  readonly url: string;
  readonly port: number;
  readonly pid: () => number;
  /** Kills the server (SIGKILL unless told) and starts it again over the same store. */
  restart(signal?: NodeJS.Signals): Promise<void>;
  /** Kills it without starting it again. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Stops it and removes its store directory. */
  stop(): Promise<void>;
}

/** True when `nats-server` is on PATH (CI installs Debian's). */
export function hasNatsServer(): boolean {
  return spawnSync("nats-server", ["--version"], { stdio: "ignore" }).status === 0;
}

/** A free loopback port (the OS picks one, then lets it go). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function listening(port: number, child: ChildProcess, deadline: number): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nats-server exited with ${String(child.exitCode)} before listening on ${port}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nats-server did not listen on ${port} within its deadline`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

export async function startNatsServer(): Promise<NatsServer> {
  const dir = mkdtempSync(join(tmpdir(), "aslan-nats-"));
  const port = await freePort();
  let child: ChildProcess;
  const launch = async (): Promise<void> => {
    child = spawn("nats-server", ["-js", "-a", "127.0.0.1", "-p", String(port), "-sd", dir], { stdio: "ignore" });
    await listening(port, child, Date.now() + 10_000);
  };
  await launch();
  const kill = async (signal: NodeJS.Signals = "SIGKILL"): Promise<void> => {
    const done = exited(child);
    if (child.exitCode === null && child.signalCode === null) process.kill(child.pid ?? 0, signal);
    await done;
  };
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    pid: () => child.pid ?? 0,
    restart: async (signal) => {
      await kill(signal);
      await launch();
    },
    kill,
    stop: async () => {
      await kill("SIGTERM");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
