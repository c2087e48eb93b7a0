/**
 * A throwaway nats-server for bench/jetstream.mjs and the aslan-jetstream engine (through
 * lib/jetstream-guard.mjs): `nats-server -js` on a free loopback port with its own temp
 * store directory, stopped by its pid (SIGTERM, SIGKILL if it has not ended after 5 s) and
 * the directory removed.
 * (test/support/nats-server.ts does the same for tests; it is TypeScript and not built.)
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** $NATS_SERVER, else `nats-server` on PATH (Debian's is /usr/sbin/nats-server). */
const BINARY = process.env.NATS_SERVER ?? "nats-server";
const LISTEN_DEADLINE_MS = 10_000;
const STOP_MS = 5_000;

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

/**
 * Starts the server; resolves with `{url, pid, stop()}` once it accepts connections.
 * `maxPayloadMB`: the server's max_payload (a config file in its temp directory); default:
 * nats-server's own, 1 MB.
 */
export async function startNatsServer({ maxPayloadMB } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "aslan-bench-nats-"));
  const port = await freePort();
  const config = [];
  if (maxPayloadMB) {
    writeFileSync(join(dir, "nats.conf"), `max_payload: ${maxPayloadMB}MB\n`);
    config.push("-c", join(dir, "nats.conf"));
  }
  const child = spawn(BINARY, [...config, "-js", "-a", "127.0.0.1", "-p", String(port), "-sd", join(dir, "store")], { stdio: "ignore" });
  let gone = false;
  const exited = new Promise((resolve) => {
    const done = () => resolve((gone = true));
    child.once("exit", done);
    child.once("error", done); // could not be started
  });
  const stop = async () => {
    if (!gone) child.kill("SIGTERM");
    const timer = setTimeout(() => gone || child.kill("SIGKILL"), STOP_MS);
    await exited;
    clearTimeout(timer);
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
