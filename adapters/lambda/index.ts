/** Lambda-like functions: the adapter, and its factory from the project config's `functions`. */
import type { AdapterFactory } from "../factory.js";
import { LambdaAdapter } from "./lambda-adapter.js";

export { LambdaAdapter, type FunctionLog, type InvokeOptions, type LambdaAdapterOptions } from "./lambda-adapter.js";

/** Lambda's console levels as the log's. */
const LOG_LEVELS: Readonly<Record<string, "info" | "warn" | "error" | "debug" | "trace">> = { INFO: "info", WARN: "warn", ERROR: "error", DEBUG: "debug", TRACE: "trace" };

/** A Lambda adapter when the config has functions (else lambda resources stay with in-process functions). */
export const createLambdaAdapter: AdapterFactory = (config, deps) => {
  if (!config.functions || Object.keys(config.functions).length === 0) return undefined;
  return new LambdaAdapter({
    functions: config.functions,
    baseDir: deps.configDir,
    account: deps.engine.account,
    local: deps.functions,
    now: () => deps.engine.clock.now(),
    onLog: (line) => deps.log[LOG_LEVELS[line.level] ?? "info"]({ function: line.functionName, requestId: line.requestId }, line.message),
  });
};
