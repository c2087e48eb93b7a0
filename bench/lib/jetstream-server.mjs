/**
 * A throwaway nats-server for bench/jetstream.mjs: `nats-server -js` on a free loopback
 * port with its own temp store directory, stopped by its pid and the directory removed.
 * (test/support/nats-server.ts does the same for tests; it is TypeScript and not built.)
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** $NATS_SERVER, else `nats-server` on PATH (Debian's is /usr/sbin/nats-server). */
const BINARY = process.env.NATS_SERVER ?? "nats-server";
const LISTEN_DEADLINE_MS = 10_000;

/** The server's version line, or undefined when there is none to run. */
export function natsServerVersion() {
  const probe = spawnSync(BINARY, ["--version"], { encoding: "utf8" });
  return probe.status === 0 ? probe.stdout.trim() : undefined;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function accepts(port) {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Starts the server; resolves with `{url, pid, stop()}` once it accepts connections. */
export async function startNatsServer() {
  const dir = mkdtempSync(join(tmpdir(), "aslan-bench-nats-"));
  const port = await freePort();
  const child = spawn(BINARY, ["-js", "-a", "127.0.0.1", "-p", String(port), "-sd", dir], { stdio: "ignore" });
  let gone = false;
  const exited = new Promise((resolve) => {
    const done = () => resolve((gone = true));
    child.once("exit", done);
    child.once("error", done); // could not be started
  });
  const stop = async () => {
    if (!gone) process.kill(child.pid, "SIGTERM");
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + LISTEN_DEADLINE_MS;
  while (!(await accepts(port))) {
    if (gone || Date.now() > deadline) {
      await stop();
      throw new Error(`nats-server did not listen on 127.0.0.1:${port}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return { url: `nats://127.0.0.1:${port}`, pid: child.pid, stop };
}
