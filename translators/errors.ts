/**
 * The `States.*` error names (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html)
 * and the error carried through run time. Definition errors live in `asl/diagnostics.ts`;
 * API errors live in the runtime's HTTP layer: three separate families.
 */
export const STATES_ERRORS = {
  ALL: "States.ALL",
  HeartbeatTimeout: "States.HeartbeatTimeout",
  Timeout: "States.Timeout",
  TaskFailed: "States.TaskFailed",
  Permissions: "States.Permissions",
  ResultPathMatchFailure: "States.ResultPathMatchFailure",
  ParameterPathFailure: "States.ParameterPathFailure",
  QueryEvaluationError: "States.QueryEvaluationError",
  BranchFailed: "States.BranchFailed",
  NoChoiceMatched: "States.NoChoiceMatched",
  IntrinsicFailure: "States.IntrinsicFailure",
  ExceedToleratedFailureThreshold: "States.ExceedToleratedFailureThreshold",
  ItemReaderFailed: "States.ItemReaderFailed",
  ResultWriterFailed: "States.ResultWriterFailed",
  DataLimitExceeded: "States.DataLimitExceeded",
  Runtime: "States.Runtime",
} as const;

export type StatesErrorName = (typeof STATES_ERRORS)[keyof typeof STATES_ERRORS];

/** Errors that `States.ALL` does not catch and no retrier retries (AWS: terminal). */
export const TERMINAL_ERRORS: ReadonlySet<string> = new Set([STATES_ERRORS.DataLimitExceeded, STATES_ERRORS.Runtime]);

/**
 * A run-time error in ASL terms: `error` is the name a Retry/Catch matches on, `cause`
 * the human text. When `inState` is true the engine prefixes the cause with AWS's
 * "An error occurred while executing the state 'X' (entered at the event id #N). ".
 */
export class StatesError extends Error {
  readonly error: string;
  override readonly cause: string | undefined;
  readonly inState: boolean;
  constructor(error: string, cause?: string, inState = true) {
    super(cause ?? error);
    this.name = "StatesError";
    this.error = error;
    this.cause = cause;
    this.inState = inState;
  }
}

export const isStatesError = (e: unknown): e is StatesError => e instanceof StatesError;

/** AWS's prefix for errors raised by the engine while it runs a state. */
export const stateErrorPrefix = (stateName: string, enteredEventId: number): string =>
  `An error occurred while executing the state '${stateName}' (entered at the event id #${enteredEventId}). `;
