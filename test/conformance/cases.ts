/**
 * The recorded AWS conformance cases in ../shared/conformance (beside this repository),
 * and the comparison those cases ship with, so our checks agree with the shared runner.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const SHARED = resolve(dirname(fileURLToPath(import.meta.url)), "../../../shared");
export const CASES_DIR = join(SHARED, "conformance/cases");

export interface ConformanceCase {
  readonly id: string;
  readonly category: string;
  readonly definition: unknown;
  readonly input: unknown;
  readonly expected: { status: string; output?: unknown; error?: string; cause?: string };
  readonly history: readonly Record<string, unknown>[];
}

export function loadCases(): ConformanceCase[] {
  return readdirSync(CASES_DIR)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(CASES_DIR, f), "utf8")) as ConformanceCase);
}

type Difference = (expected: ConformanceCase["expected"], result: Record<string, unknown>) => string | null;

export async function loadCompare(): Promise<{ difference: Difference; matches: (a: unknown, b: unknown) => boolean }> {
  return (await import(pathToFileURL(join(SHARED, "conformance/compare.mjs")).href)) as never;
}
