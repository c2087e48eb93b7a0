/** `--functions module.mjs`: the module's exported functions become local task functions. */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { TaskFunctions } from "../bus/task-functions.js";
import { UsageError } from "./args.js";

/** Its default export if that is an object, else its named exports; non-functions are skipped. */
export async function loadFunctions(value: string | true | undefined): Promise<TaskFunctions> {
  if (value === undefined) return {};
  if (value === true) throw new UsageError("--functions needs a module path");
  try {
    const mod = (await import(pathToFileURL(resolve(value)).href)) as Record<string, unknown>;
    const table = (mod["default"] && typeof mod["default"] === "object" ? mod["default"] : mod) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(table).filter(([, f]) => typeof f === "function")) as TaskFunctions;
  } catch (e) {
    throw new UsageError(`cannot load functions module '${value}': ${(e as Error).message}`);
  }
}
