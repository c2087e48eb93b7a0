/**
 * Retriers and the error-name matching shared with Catch.
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 */
import { STATES_ERRORS, TERMINAL_ERRORS } from "../errors.js";
import type { Retrier } from "../asl/model.js";

export interface CompiledRetrier {
  readonly errorEquals: readonly string[];
  readonly intervalSeconds: number;
  readonly maxAttempts: number;
  readonly backoffRate: number;
  readonly maxDelaySeconds: number | undefined;
  readonly jitter: "FULL" | "NONE";
}

export function compileRetriers(retry: readonly Retrier[] | undefined): CompiledRetrier[] {
  return (retry ?? []).map((r) => ({
    errorEquals: r.ErrorEquals,
    intervalSeconds: r.IntervalSeconds ?? 1,
    maxAttempts: r.MaxAttempts ?? 3,
    backoffRate: r.BackoffRate ?? 2,
    maxDelaySeconds: r.MaxDelaySeconds,
    jitter: r.JitterStrategy ?? "NONE",
  }));
}

/**
 * Does an ErrorEquals list match `error`? States.ALL matches all but the terminal errors;
 * States.TaskFailed matches every error except States.Timeout (AWS: "any known error name
 * except for States.Timeout") and the terminal ones.
 */
export function errorMatches(errorEquals: readonly string[], error: string): boolean {
  return errorEquals.some((name) => {
    if (name === error) return true;
    if (TERMINAL_ERRORS.has(error)) return false;
    if (name === STATES_ERRORS.ALL) return true;
    return name === STATES_ERRORS.TaskFailed && error !== STATES_ERRORS.Timeout;
  });
}

/** Delay in ms before retry number `attempt` (0-based), with backoff, cap and jitter. */
export function retryDelayMs(r: CompiledRetrier, attempt: number, random: () => number): number {
  let seconds = r.intervalSeconds * Math.pow(r.backoffRate, attempt);
  if (r.maxDelaySeconds !== undefined) seconds = Math.min(seconds, r.maxDelaySeconds);
  if (r.jitter === "FULL") seconds = random() * seconds;
  return Math.round(seconds * 1000);
}
