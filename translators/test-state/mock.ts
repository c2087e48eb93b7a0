/**
 * TestState's rules about mocks, in AWS's words: which states take one, which need one, and
 * what a mocked result must look like for the state it replaces. The service-model checks of
 * fieldValidationMode (STRICT, PRESENT) are not made: Aslan has no AWS service models.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_MockInput.html
 * https://docs.aws.amazon.com/step-functions/latest/dg/test-state-isolation.html
 */
import type { State } from "../asl/model.js";
import { parseResource } from "../dataflow/resource.js";
import type { Json } from "../json.js";
import { TestStateRejected, type Mock, type TestedState } from "./model.js";

/** `mock` as the request carries it (the error name is required by the API model, checked by the caller). */
export interface MockRequest {
  readonly result?: string;
  readonly errorOutput?: { readonly error: string; readonly cause?: string };
}

const MOCKABLE = new Set(["Task", "Map", "Parallel"]);

const validation = (message: string): TestStateRejected => new TestStateRejected("ValidationException", message);

/** Checks the mock against the state and the request; returns it with its result parsed. */
export function checkMock(tested: TestedState, mock: MockRequest | undefined, revealSecrets: boolean): Mock | undefined {
  const { state } = tested;
  if (!mock) return requireNoMock(state);
  if (!MOCKABLE.has(state.Type)) throw validation(`State type '${state.Type}' is not supported when a mock is specified`);
  if (revealSecrets) throw validation("TestState does not support RevealSecrets when a mock is specified.");
  if ((mock.result === undefined) === (mock.errorOutput === undefined)) {
    throw validation("A test mock should have only one of the following fields: [result, errorOutput].");
  }
  if (mock.errorOutput) return mock.errorOutput;
  const result = parseMockResult(mock.result as string);
  checkResultShape(state, result);
  return { result };
}

/** States that only run with a mock. */
function requireNoMock(state: State): undefined {
  if (state.Type === "Map" || state.Type === "Parallel") {
    throw new TestStateRejected("InvalidDefinition", "TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]");
  }
  if (state.Type === "Task") {
    const info = parseResource(state.Resource);
    if (info.kind === "activity" || info.pattern !== "request-response") {
      throw new TestStateRejected("InvalidDefinition", "TestState API supports Activity tasks and the .sync and .waitForTaskToken service integration patterns only when a mock is specified");
    }
  }
  return undefined;
}

function parseMockResult(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    throw validation("Mocked result must be valid JSON");
  }
}

function checkResultShape(state: State, result: Json): void {
  if (state.Type === "Map") {
    if (state.ResultWriter !== undefined && (typeof result !== "object" || result === null || Array.isArray(result))) throw validation("Mocked result must be a JSON object.");
    if (state.ResultWriter === undefined && !Array.isArray(result)) throw validation("Mocked result must be an array.");
  }
  if (state.Type === "Parallel") {
    if (!Array.isArray(result)) throw validation("Mocked result must be an array.");
    if (result.length !== state.Branches.length) throw validation("Mocked result must contain the same number of items as number of Parallel branches.");
  }
}
