/**
 * `$$` for a tested state. By default AWS runs the state in a pretend Express execution:
 * `Execution.Id` is `…:express:<machine>:<execution>`, `RoleArn` the request's role (null
 * without one), `State.Name` "StateName". With a mock the request may bring its own context
 * object, which replaces `$$` whole once it passes AWS's checks.
 * https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_TestState.html
 */
import type { State } from "../asl/model.js";
import { parseResource } from "../dataflow/resource.js";
import { isObject, type Json, type JsonObject } from "../json.js";
import type { ExecutionInfo } from "../xstate/actor-data.js";
import { TestStateRejected } from "./model.js";

export interface PretendExecution {
  readonly executionArn: string;
  readonly executionName: string;
  readonly stateMachineArn: string;
  readonly stateMachineName: string;
  readonly roleArn: string | null;
  /** Epoch ms. */
  readonly startTime: number;
}

/** `$$.Execution` and `$$.StateMachine` of the pretend execution. */
export function pretendExecution(p: PretendExecution, input: Json): ExecutionInfo {
  return {
    Execution: { Id: p.executionArn, Input: input, Name: p.executionName, RoleArn: p.roleArn, StartTime: new Date(p.startTime).toISOString() },
    StateMachine: { Id: p.stateMachineArn, Name: p.stateMachineName },
  };
}

/** The fields a supplied context object may hold, by section. */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  Execution: ["Id", "Input", "Name", "RoleArn", "StartTime", "RedriveCount", "RedriveTime"],
  State: ["EnteredTime", "Name", "RetryCount"],
  StateMachine: ["Id", "Name"],
  Task: ["Token"],
};

const STRING_FIELDS = new Set(["Execution.Id", "Execution.Name", "Execution.RoleArn", "Execution.StartTime", "State.EnteredTime", "State.Name", "StateMachine.Id", "StateMachine.Name", "Task.Token"]);

const invalid = (why: string): TestStateRejected => new TestStateRejected("ValidationException", `Invalid Context object provided: ${why}`);

/** Checks a supplied context object as AWS does; returns it as `$$`. */
export function checkSuppliedContext(value: Json, state: State): JsonObject {
  if (!isObject(value)) throw invalid("the Context object must be a JSON object");
  for (const [section, fields] of Object.entries(value)) {
    if (section === "Map") throw invalid("'Map' field is not supported when mocking a Context object");
    const allowed = ALLOWED[section];
    if (!allowed) throw invalid(`Field '${section}' is not allowed`);
    if (section === "Task" && !takesTaskToken(state)) {
      throw invalid("Context object contains 'Task' when state is not a Task state with a '.sync' or '.waitForTaskToken' service integration pattern");
    }
    if (!isObject(fields)) throw invalid(`${section} must be an object`);
    for (const [field, v] of Object.entries(fields)) {
      if (!allowed.includes(field)) throw invalid(`Field '${field}' is not allowed`);
      if (STRING_FIELDS.has(`${section}.${field}`) && typeof v !== "string" && v !== null) throw invalid(`${section}.${field} must be a string`);
    }
  }
  return value;
}

function takesTaskToken(state: State): boolean {
  return state.Type === "Task" && parseResource(state.Resource).pattern !== "request-response";
}
