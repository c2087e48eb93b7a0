/**
 * The file worker threads run. Built: `worker.js` beside this module. From the TypeScript
 * sources (tests, development), `worker.ts` is transpiled alone, once, into a
 * content-addressed file under node_modules/.cache, since worker threads cannot run
 * TypeScript.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, parse } from "node:path";
import { fileURLToPath } from "node:url";

let found: Promise<string> | undefined;

/** Absolute path of the worker module. */
export function workerFile(): Promise<string> {
  found ??= locate();
  return found;
}

async function locate(): Promise<string> {
  const here = dirname(fileURLToPath(import.meta.url));
  const built = join(here, "worker.js");
  if (existsSync(built)) return built;
  const source = readFileSync(join(here, "worker.ts"), "utf8");
  const ts = (await import("typescript")).default;
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    fileName: "worker.ts",
  });
  const hash = createHash("sha256").update(outputText).digest("hex").slice(0, 16);
  const file = join(cacheDir(here), `lambda-worker-${hash}.mjs`);
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    // Test files run in parallel: write aside, then rename (atomic), so no worker reads half a file.
    const partial = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    writeFileSync(partial, outputText);
    renameSync(partial, file);
  }
  return file;
}

/** node_modules/.cache/aslan of the nearest node_modules above `dir`. */
function cacheDir(dir: string): string {
  for (let d = dir; d !== parse(d).root; d = dirname(d)) {
    if (existsSync(join(d, "node_modules"))) return join(d, "node_modules", ".cache", "aslan");
  }
  throw new Error("cannot find node_modules for the Lambda worker's transpiled file");
}
