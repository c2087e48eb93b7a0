/**
 * Finding and loading `aslan.config.mjs` (or `.js`, `.json`): given with `--config path`, or
 * found in the working directory. Every shape problem is reported at once, with its path;
 * module paths in the file are relative to it and come back absolute.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { FunctionConfig, ProjectConfig } from "./project-config.js";
import { PROJECT_CONFIG } from "./schema.js";
import { childPath } from "./shape.js";

/** Looked for in this order; more than one in a directory is a mistake worth saying. */
export const CONFIG_FILES = ["aslan.config.mjs", "aslan.config.js", "aslan.config.json"] as const;

export interface LoadedConfig {
  /** Absolute path of the file. */
  readonly path: string;
  /** Its directory: where relative module paths start. */
  readonly dir: string;
  /** Checked; every function in object form with an absolute module path. */
  readonly config: ProjectConfig;
}

/** A config file that cannot be read or has the wrong shape; the message lists every problem. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(
    message: string,
    readonly problems: readonly string[] = [],
  ) {
    super(problems.length === 0 ? message : `${message}\n${problems.map((p) => `  ${p}`).join("\n")}`);
  }
}

/** The config at `path` if given, else the one in `cwd`; undefined when there is none. */
export async function loadProjectConfig(options: { readonly path?: string; readonly cwd: string }): Promise<LoadedConfig | undefined> {
  const path = options.path !== undefined ? resolve(options.cwd, options.path) : findConfigFile(options.cwd);
  if (path === undefined) return undefined;
  if (!existsSync(path)) throw new ConfigError(`cannot read config file '${path}': no such file`);
  const raw = await readConfig(path);
  return { path, dir: dirname(path), config: checkProjectConfig(raw, dirname(path), path) };
}

/** The one `aslan.config.*` in `dir`, if any. */
export function findConfigFile(dir: string): string | undefined {
  const found = CONFIG_FILES.map((f) => join(dir, f)).filter((p) => existsSync(p));
  if (found.length > 1) throw new ConfigError(`found ${found.map((p) => `'${p}'`).join(" and ")}: keep one, or choose with --config`);
  return found[0];
}

async function readConfig(path: string): Promise<unknown> {
  if (path.endsWith(".json")) {
    try {
      return JSON.parse(readFileSync(path, "utf8")) as unknown;
    } catch (e) {
      throw new ConfigError(`cannot read config file '${path}': ${(e as Error).message}`);
    }
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (e) {
    throw new ConfigError(`cannot load config file '${path}': ${(e as Error).message}`);
  }
  // `export default {...}` (or a function returning it), else the named exports.
  const exported = "default" in mod ? mod["default"] : { ...mod };
  try {
    return typeof exported === "function" ? ((await (exported as () => unknown)()) as unknown) : exported;
  } catch (e) {
    throw new ConfigError(`config file '${path}': its default export threw: ${(e as Error).message}`);
  }
}

/** Checks a config's shape (every problem at once) and resolves function modules against `dir`. */
export function checkProjectConfig(raw: unknown, dir: string, source = "config"): ProjectConfig {
  const problems: string[] = [];
  PROJECT_CONFIG(raw, "", problems);
  if (problems.length > 0) throw new ConfigError(`invalid config file '${source}':`, problems);
  const config = raw as ProjectConfig;
  if (!config.functions) return config;
  const functions: Record<string, FunctionConfig> = {};
  for (const [name, entry] of Object.entries(config.functions)) {
    const fn = functionConfig(entry);
    const handler = resolveHandler(dir, fn.handler);
    if (!existsSync(modulePath(handler))) problems.push(`${childPath(childPath("functions", name), "handler")}: no such file '${modulePath(handler)}'`);
    functions[name] = { ...fn, handler };
  }
  if (problems.length > 0) throw new ConfigError(`invalid config file '${source}':`, problems);
  return { ...config, functions };
}

/** The object form of a function entry (a bare string is its handler). */
export const functionConfig = (entry: FunctionConfig | string): FunctionConfig => (typeof entry === "string" ? { handler: entry } : entry);

/** `module.mjs#export` with the module made absolute against `dir`. */
export function resolveHandler(dir: string, handler: string): string {
  const hash = handler.lastIndexOf("#");
  const module = hash >= 0 ? handler.slice(0, hash) : handler;
  const absolute = isAbsolute(module) ? module : resolve(dir, module);
  return hash >= 0 ? `${absolute}${handler.slice(hash)}` : absolute;
}

/** The module part of a handler (`#export` dropped). */
export function modulePath(handler: string): string {
  const hash = handler.lastIndexOf("#");
  return hash >= 0 ? handler.slice(0, hash) : handler;
}

/** The export a handler names (`handler` unless `#name` says otherwise). */
export function exportName(handler: string): string {
  const hash = handler.lastIndexOf("#");
  return hash >= 0 && hash < handler.length - 1 ? handler.slice(hash + 1) : "handler";
}
