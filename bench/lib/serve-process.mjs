/**
 * The `aslan serve` process the aslan-serve engine (engines/aslan-serve.mjs) runs against:
 * the built CLI in memory on a free loopback port, serving the workloads' task functions
 * (serve-functions.mjs), with serve-probe.mjs preloaded to answer GC and memory requests over
 * IPC. Its URL is read from its JSON log; it is stopped by its pid.
 */
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { repoRoot } from "./workloads.mjs";

export const CLI = resolve(repoRoot, "dist", "cli.js");
const FUNCTIONS = resolve(repoRoot, "bench", "lib", "serve-functions.mjs");
const PROBE = resolve(repoRoot, "bench", "lib", "serve-probe.mjs");
/** How long the server may take to listen, and to stop once asked. */
const START_MS = 30_000;
const STOP_MS = 5_000;

/** Starts `aslan serve`; resolves with the child and the URL it logged once listening. */
export function startServer(args) {
  const child = spawn(process.execPath, ["--expose-gc", "--import", PROBE, CLI, "serve", "--in-memory", "--port", "0", "--functions", FUNCTIONS, ...args], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    // Credentials never come from the environment: the server runs unauthenticated on loopback.
    env: { ...process.env, ASLAN_ACCESS_KEY_ID: "", ASLAN_SECRET_ACCESS_KEY: "" },
  });
  let stderr = "";
  child.stderr.on("data", (b) => (stderr = (stderr + b.toString()).slice(-4000)));
  const exited = new Promise((done) => child.once("exit", (code, signal) => done({ code, signal })));
  const url = new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`aslan serve did not listen within ${START_MS / 1000} s: ${stderr}`)), START_MS);
    let pending = "";
    const onData = (b) => {
      pending += b.toString();
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const text of lines) {
        const url = urlOf(text);
        if (url === undefined) continue;
        // Later log lines (one per request at info) are read and dropped, so the pipe never fills.
        child.stdout.off("data", onData);
        child.stdout.resume();
        clearTimeout(timer);
        return ok(url);
      }
    };
    child.stdout.on("data", onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      fail(new Error(`aslan serve exited (${code ?? signal}) before listening: ${stderr}`));
    });
  });
  return { child, exited, url, stderr: () => stderr };
}

/** The URL a log line announces (serve's "listening on" line), if it is that line. */
function urlOf(text) {
  try {
    const url = JSON.parse(text)?.url;
    return typeof url === "string" ? url : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the server process has ended. */
export const hasEnded = (server) => server.child.exitCode !== null || server.child.signalCode !== null;

/** Asks the probe in the server process; resolves with its answer, rejects if the server has ended. */
export function probe(server, kind) {
  const { child } = server;
  const id = Math.random().toString(36).slice(2);
  let onMessage;
  const answer = new Promise((ok) => {
    onMessage = (msg) => {
      if (msg?.probeId === id) ok(msg);
    };
    child.on("message", onMessage);
    child.send({ probe: kind, id });
  });
  const ended = server.exited.then(({ code, signal }) => {
    throw new Error(`aslan serve exited (${code ?? signal}): ${server.stderr()}`);
  });
  return Promise.race([answer, ended]).finally(() => child.off("message", onMessage));
}

/** Stops the server by its pid: SIGTERM (serve's clean stop), SIGKILL if it does not end. */
export async function stopServer(server) {
  const { child } = server;
  if (hasEnded(server)) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), STOP_MS);
  await server.exited;
  clearTimeout(timer);
}
