/** What the long-running commands (`aslan serve`, `aslan worker`) share: their log level and how they are told to stop. */
import { UsageError } from "./args.js";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

/** `--log-level`: pino's levels; info unless given. */
export function logLevel(value: string | undefined): string {
  if (value === undefined) return "info";
  if (!LOG_LEVELS.includes(value)) throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(", ")}, got '${value}'`);
  return value;
}

/** Resolves with the first SIGINT or SIGTERM (a second one is the caller's business). */
export function untilStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off("SIGINT", stop).off("SIGTERM", stop);
      resolve(signal);
    };
    process.once("SIGINT", stop).once("SIGTERM", stop);
  });
}
