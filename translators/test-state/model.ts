/**
 * What the TestState API runs and answers, in translator terms (the HTTP layer renders it).
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_TestState.html
 * https://docs.aws.amazon.com/step-functions/latest/dg/test-state-isolation.html
 */
import type { Json, JsonObject } from "../json.js";
import type { QueryLanguage, State } from "../asl/model.js";
import type { ExecutionInfo } from "../xstate/actor-data.js";

/** AWS names the state under test "StateName" in `$$.State.Name`, whatever its name in the definition. */
export const TESTED_STATE_NAME = "StateName";

export type InspectionLevel = "INFO" | "DEBUG" | "TRACE";

/** TestExecutionStatus, AWS's literal names. */
export type TestStatus = "SUCCEEDED" | "FAILED" | "RETRIABLE" | "CAUGHT_ERROR";

/** The state under test, found in the request's definition. */
export interface TestedState {
  readonly state: State;
  readonly language: QueryLanguage;
}

/** What a Task, Map or Parallel state's work ended with: the mock, or a local function's answer. */
export type WorkOutcome =
  | { readonly result: Json }
  | { readonly error: string; readonly cause?: string | undefined };

/** `mock` of the request, its result already parsed. */
export type Mock = WorkOutcome;

/** Everything a run needs beyond the state itself; all non-determinism arrives here. */
export interface TestRun {
  readonly input: Json;
  readonly variables: JsonObject;
  /** `$$.Execution` and `$$.StateMachine` of the pretend execution (see `pretendExecution`). */
  readonly execution: ExecutionInfo;
  /** The request's `context` (only with a mock): it replaces `$$` whole. */
  readonly context: JsonObject | undefined;
  readonly mock: Mock | undefined;
  /** stateConfiguration.retrierRetryCount: retries already made by the matching retrier. */
  readonly retrierRetryCount: number;
  /** stateConfiguration.mapIterationFailureCount: failed iterations a mocked Map reports. */
  readonly mapIterationFailureCount: number;
  /** stateConfiguration.mapItemReaderData: the items an ItemReader would have read (JSON text). */
  readonly mapItemReaderData: string | undefined;
  /** Engine time, epoch ms. */
  readonly now: number;
}

/** InspectionData's fields, as values (rendered to JSON text by `renderInspection`). */
export interface Inspection {
  input?: Json;
  afterInputPath?: Json;
  afterParameters?: Json;
  afterArguments?: Json;
  afterItemsPath?: Json;
  afterItemSelector?: Json;
  result?: Json;
  afterResultSelector?: Json;
  afterResultPath?: Json;
  variables?: JsonObject;
  maxConcurrency?: number;
  toleratedFailureCount?: number;
  toleratedFailurePercentage?: number;
  errorDetails?: { catchIndex?: number; retryIndex?: number; retryBackoffIntervalSeconds?: number };
}

/** The answer of a run, before rendering. */
export interface TestResult {
  readonly status: TestStatus;
  readonly output?: Json;
  readonly error?: string;
  readonly cause?: string;
  readonly nextState?: string;
  readonly inspection: Inspection;
}

/** How the state ended, before its inspection data and variables are attached. */
export interface StateEnding {
  readonly status: TestStatus;
  readonly output?: Json;
  readonly error?: string;
  readonly cause?: string;
  readonly nextState?: string;
  /** Variables the state (or the catcher that caught its error) assigned. */
  readonly assigned?: JsonObject;
}

/** A Task without a mock: the work the caller must do, then hand back to `resume`. */
export interface PendingWork {
  readonly kind: "invoke";
  readonly resource: string;
  /** The effective parameters (afterParameters / afterArguments). */
  readonly payload: Json;
  readonly timeoutSeconds: number | undefined;
  resume(outcome: WorkOutcome): TestResult;
}

export type TestStep = ({ readonly kind: "done" } & TestResult) | PendingWork;

/**
 * A request TestState refuses, with AWS's error name. These are API answers, decided by
 * TestState's own rules (which states take mocks, what a mock must look like), so they are
 * named here and mapped one-to-one by the HTTP layer.
 */
export class TestStateRejected extends Error {
  constructor(
    readonly code: "ValidationException" | "InvalidDefinition",
    message: string,
  ) {
    super(message);
    this.name = "TestStateRejected";
  }
}
