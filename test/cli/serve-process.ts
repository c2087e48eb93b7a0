/** `aslan serve` (the built CLI) as a child process: its JSON log, its URL, stopping it by pid. */
import { spawn, type ChildProcess } from "node:child_process";
import { CLI } from "./built-cli.js";

/** One `aslan serve` process: its JSON log lines so far, and how it ended. */
export interface Served {
  readonly child: ChildProcess;
  readonly lines: Record<string, unknown>[];
  readonly stderr: () => string;
  /** Resolves with the URL once it logs that it listens; rejects if it exits first. */
  readonly url: Promise<string>;
  readonly exit: Promise<number | null>;
}

export function serve(args: string[], env: Record<string, string> = {}, cwd?: string): Served {
  // Credentials come only from the test, never from the developer's environment.
  const { ASLAN_ACCESS_KEY_ID: _id, ASLAN_SECRET_ACCESS_KEY: _secret, ...inherited } = process.env;
  // In memory unless the test names a data directory or NATS: serve's default one (./.aslan) is one per working directory.
  const storage = args.includes("--data-dir") || args.includes("--in-memory") || args.includes("--nats") ? [] : ["--in-memory"];
  const child = spawn(process.execPath, [CLI, "serve", ...storage, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"], env: { ...inherited, ...env } });
  const lines: Record<string, unknown>[] = [];
  let stderr = "";
  let pending = "";
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const url = new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (b: Buffer) => {
      pending += b.toString();
      const complete = pending.split("\n");
      pending = complete.pop() ?? "";
      for (const text of complete) {
        // Every stdout line must be a JSON log line: a function's console output included.
        const line = JSON.parse(text) as Record<string, unknown>;
        lines.push(line);
        if (typeof line["url"] === "string") resolve(line["url"]);
      }
    });
    void exit.then((code) => reject(new Error(`aslan serve exited ${String(code)} before listening: ${stderr}`)));
  });
  child.stderr?.on("data", (b: Buffer) => (stderr += b.toString()));
  url.catch(() => undefined); // awaited only by tests that expect it to listen
  return { child, lines, stderr: () => stderr, url, exit };
}

export async function stop(served: Served, signal: NodeJS.Signals): Promise<number | null> {
  process.kill(served.child.pid ?? 0, signal);
  return served.exit;
}
