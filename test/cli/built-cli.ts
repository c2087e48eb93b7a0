/**
 * The built CLI (dist/) for tests that run it as a user does. Builds when a source is newer
 * than the build; test files run in parallel, so one builds while the others wait on a lock
 * (two tsc runs writing dist/ at once could hand a half-written file to a starting CLI).
 */
import { execFileSync, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const CLI = join(ROOT, "dist/cli.js");
const LOCK = join(ROOT, "node_modules/.aslan-build.lock");
/** A lock older than this was left by a killed run. */
const STALE_LOCK_MS = 5 * 60_000;

/** Newest modification time of the sources the build compiles. */
function newestSource(): number {
  let newest = Math.max(statSync(join(ROOT, "index.ts")).mtimeMs, statSync(join(ROOT, "cli.ts")).mtimeMs);
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const dir of ["translators", "runtime", "adapters"]) if (existsSync(join(ROOT, dir))) walk(join(ROOT, dir));
  return newest;
}

const isFresh = (): boolean => existsSync(CLI) && statSync(CLI).mtimeMs >= newestSource();

/** Resolves once dist/ holds a build at least as new as the sources. */
export async function ensureBuilt(): Promise<void> {
  if (isFresh()) return;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    if (!isFresh()) {
      execFileSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], { cwd: ROOT, stdio: "pipe" });
      // As `npm run build` does: a cli.js written anew is not executable, and `npx aslan` then fails.
      chmodSync(CLI, 0o755);
    }
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

export interface CliOutcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI to its end in a child process. */
export function runCli(args: readonly string[], options: { readonly cwd?: string; readonly env?: NodeJS.ProcessEnv } = {}): Promise<CliOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Writes `content` (as JSON unless it is a string) to `name` in `dir`; returns its path. */
export function writeIn(dir: string, name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}
