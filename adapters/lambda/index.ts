/** Lambda-like functions: the adapter, and its factory from the project config's `functions` or `forward.lambda`. */
import type { AdapterFactory } from "../factory.js";
import { LambdaAdapter } from "./lambda-adapter.js";
import { SdkLambdaInvoker } from "./sdk-lambda-invoker.js";

export { LambdaAdapter, type FunctionLog, type InvokeOptions, type LambdaAdapterOptions } from "./lambda-adapter.js";
export type { InvokeApiRequest, InvokeApiResponse, LambdaInvoker } from "./lambda-invoker.js";
export { SdkLambdaInvoker } from "./sdk-lambda-invoker.js";

/** Lambda's console levels as the log's. */
const LOG_LEVELS: Readonly<Record<string, "info" | "warn" | "error" | "debug" | "trace">> = { INFO: "info", WARN: "warn", ERROR: "error", DEBUG: "debug", TRACE: "trace" };

/**
 * A Lambda adapter that forwards every invocation to `forward.lambda`, or one that runs the
 * config's functions; undefined with neither (lambda resources stay with in-process functions).
 */
export const createLambdaAdapter: AdapterFactory = (config, deps) => {
  const forward = config.forward?.lambda;
  if (forward) return new LambdaAdapter({ account: deps.engine.account, forward: new SdkLambdaInvoker(forward) });
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
