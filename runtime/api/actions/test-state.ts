/**
 * TestState: runs one state (the definition, or `stateName` of a whole machine) once and
 * answers its output, next state, status and, at DEBUG and TRACE, its InspectionData. The
 * semantics live in translators/test-state; this file reads the request, renders the answer
 * and runs an unmocked Task's work through the engine's task bus (local task functions),
 * in a one-state Express execution that is forgotten afterwards.
 * TRACE adds nothing to DEBUG yet: it would add the HTTP request and response of an HTTP
 * Task (arn:aws:states:::http:invoke), which Aslan does not call.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_TestState.html
 * https://docs.aws.amazon.com/step-functions/latest/dg/test-state-isolation.html
 */
import { DefinitionError } from "../../../translators/asl/diagnostics.js";
import { isObject, type Json, type JsonObject } from "../../../translators/json.js";
import {
  checkMock,
  checkSuppliedContext,
  locateTestedState,
  pretendExecution,
  renderInspection,
  startTestState,
  TESTED_STATE_NAME,
  TestStateRejected,
  type InspectionLevel,
  type Mock,
  type MockRequest,
  type TestedState,
  type TestResult,
  type TestRun,
  type WorkOutcome,
} from "../../../translators/test-state/index.js";
import type { CompileServices } from "../../../translators/xstate/step.js";
import { stateMachineArn } from "../../engine/arns.js";
import type { ActionTable, ApiContext } from "../context.js";
import { describeDiagnostics } from "../definition-errors.js";
import { ApiError, validationError } from "../errors.js";
import { readExecutionInput, MAX_DATA_LENGTH } from "../execution-input.js";
import { optionalBoolean, optionalEnum, optionalInteger, optionalObject, optionalString, type Body } from "../fields.js";
import { checkRoleArn } from "./state-machines.js";
import { readDefinition } from "./validate.js";

/** AWS: "The TestState API can run for up to five minutes", then States.Timeout. */
const RUN_LIMIT_MS = 5 * 60_000;

const validation = (message: string): ApiError => new ApiError("ValidationException", message);

/** TestState's own refusals and definition errors, as API errors. */
function asApiError(e: unknown): unknown {
  if (e instanceof TestStateRejected) return new ApiError(e.code, e.message);
  if (e instanceof DefinitionError) return new ApiError("InvalidDefinition", describeDiagnostics(e.diagnostics));
  return e;
}

function servicesOf(ctx: ApiContext): CompileServices {
  return { randomness: { random: () => ctx.engine.random(), uuid: () => ctx.engine.uuid() } };
}

function readMock(body: Body): MockRequest | undefined {
  const mock = optionalObject(body, "mock");
  if (!mock) return undefined;
  optionalEnum(mock, "fieldValidationMode", ["STRICT", "PRESENT", "NONE"] as const);
  const result = optionalString(mock, "result", MAX_DATA_LENGTH);
  const errorOutput = optionalObject(mock, "errorOutput");
  if (!errorOutput) return result !== undefined ? { result } : {};
  const error = optionalString(errorOutput, "error", 256);
  if (error === undefined) throw validationError("mock.errorOutput.error", undefined, "Member must not be null");
  const cause = optionalString(errorOutput, "cause", 32_768);
  return { ...(result !== undefined ? { result } : {}), errorOutput: { error, ...(cause !== undefined ? { cause } : {}) } };
}

/** `variables` and `context`: JSON object text. */
function jsonObjectField(body: Body, field: string, invalid: (why: string) => ApiError): JsonObject | undefined {
  const text = optionalString(body, field, MAX_DATA_LENGTH);
  if (text === undefined) return undefined;
  let value: Json;
  try {
    value = JSON.parse(text) as Json;
  } catch (e) {
    throw invalid((e as Error).message);
  }
  if (!isObject(value)) throw invalid("expected a JSON object");
  return value;
}

function render(r: TestResult, level: InspectionLevel): JsonObject {
  return {
    status: r.status,
    ...(r.output !== undefined ? { output: JSON.stringify(r.output) } : {}),
    ...(r.error !== undefined ? { error: r.error } : {}),
    ...(r.cause !== undefined ? { cause: r.cause } : {}),
    ...(r.nextState !== undefined ? { nextState: r.nextState } : {}),
    ...(level !== "INFO" ? { inspectionData: renderInspection(r.inspection) } : {}),
  };
}

/** Runs an unmocked Task's work as a one-state execution, so it reaches the same task functions executions do. */
async function runLocally(ctx: ApiContext, work: { resource: string; payload: Json; timeoutSeconds: number | undefined }, roleArn: string, signal: AbortSignal): Promise<WorkOutcome> {
  const { engine } = ctx;
  const name = `TestState-${engine.uuid()}`;
  const task = { Type: "Task", Resource: work.resource, End: true, ...(work.timeoutSeconds !== undefined ? { TimeoutSeconds: work.timeoutSeconds } : {}) };
  const compiled = engine.compile({ StartAt: TESTED_STATE_NAME, States: { [TESTED_STATE_NAME]: task } });
  const run = engine.startExecution({ arn: stateMachineArn(ctx.account, name), name, compiled, creationDate: engine.clock.now(), type: "EXPRESS", roleArn }, work.payload);
  const overtime = setTimeout(() => engine.stopExecution(run, "States.Timeout", "The TestState run exceeded five minutes."), RUN_LIMIT_MS);
  const gone = (): void => engine.stopExecution(run, "States.Timeout", "The client closed the connection.");
  signal.addEventListener("abort", gone);
  try {
    const end = await engine.result(run);
    if (end.status === "SUCCEEDED") return { result: end.output ?? null };
    return { error: end.error ?? "States.Runtime", ...(end.cause !== undefined ? { cause: end.cause } : {}) };
  } finally {
    clearTimeout(overtime);
    signal.removeEventListener("abort", gone);
    engine.forget(run);
  }
}

interface Checked {
  readonly tested: TestedState;
  readonly mock: Mock | undefined;
  readonly context: JsonObject | undefined;
}

/** The state, its mock and the supplied context, checked in AWS's order. */
function checkRequest(body: Body, roleArn: string | undefined, services: CompileServices): Checked {
  const definition = readDefinition(body);
  if (definition.length === 0) throw new ApiError("ValidationException", "1 validation error detected: Value at 'definition' failed to satisfy constraint: Member must have length greater than or equal to 1");
  const stateName = optionalString(body, "stateName", 80);
  if (stateName === "") throw validationError("stateName", stateName, "Member must have length greater than or equal to 1");
  const mockRequest = readMock(body);
  const revealSecrets = optionalBoolean(body, "revealSecrets") ?? false;
  const supplied = jsonObjectField(body, "context", (why) => validation(`Invalid Context object provided: ${why}`));
  try {
    const tested = locateTestedState(definition, stateName, services);
    const mock = checkMock(tested, mockRequest, revealSecrets);
    if (tested.state.Type === "Task" && !mock && roleArn === undefined) throw validation("RoleArn must be specified when testing a Task state");
    if (supplied && !mock) throw validation("A Context object can only be specified when a mock is specified.");
    return { tested, mock, context: supplied ? checkSuppliedContext(supplied, tested.state) : undefined };
  } catch (e) {
    throw asApiError(e);
  }
}

/** The pretend Express execution the state runs in (`$$.Execution`, `$$.StateMachine`). */
function pretendOf(ctx: ApiContext, roleArn: string | undefined, input: Json, now: number): TestRun["execution"] {
  const machine = ctx.engine.uuid();
  const execution = ctx.engine.uuid();
  const { partition, region, accountId } = ctx.account;
  return pretendExecution({
    executionArn: `arn:${partition}:states:${region}:${accountId}:express:${machine}:${execution}`,
    executionName: execution,
    stateMachineArn: stateMachineArn(ctx.account, machine),
    stateMachineName: machine,
    roleArn: roleArn ?? null,
    startTime: now,
  }, input);
}

export const testStateActions: ActionTable = {
  async TestState(body, ctx, request) {
    const roleArn = optionalString(body, "roleArn", 256);
    if (roleArn !== undefined) checkRoleArn(roleArn);
    const level: InspectionLevel = optionalEnum(body, "inspectionLevel", ["INFO", "DEBUG", "TRACE"] as const) ?? "INFO";
    const config = optionalObject(body, "stateConfiguration") ?? {};
    const services = servicesOf(ctx);
    const { tested, mock, context } = checkRequest(body, roleArn, services);
    const input = readExecutionInput(body).value;
    const now = ctx.engine.clock.now();
    const step = startTestState(tested, {
      input, mock, context, now,
      variables: jsonObjectField(body, "variables", (why) => validation(`Invalid variables: ${why}`)) ?? {},
      execution: pretendOf(ctx, roleArn, input, now),
      retrierRetryCount: optionalInteger(config, "retrierRetryCount", 0, Number.MAX_SAFE_INTEGER) ?? 0,
      mapIterationFailureCount: optionalInteger(config, "mapIterationFailureCount", 0, Number.MAX_SAFE_INTEGER) ?? 0,
      mapItemReaderData: optionalString(config, "mapItemReaderData", MAX_DATA_LENGTH),
    }, services);
    // An unmocked Task needs a role (checked above), so roleArn is set here.
    const result = step.kind === "invoke" ? step.resume(await runLocally(ctx, step, roleArn as string, request.signal)) : step;
    return render(result, level);
  },
};
