/**
 * TestState through the SDK. Expected answers follow AWS's recorded TestState responses
 * (LocalStack's AWS-validated snapshots of the same state definitions and inputs).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestStateCommand, type TestStateCommandInput, type TestStateCommandOutput } from "@aws-sdk/client-sfn";
import { ROLE_ARN, startTestApi, type TestApi } from "./helpers.js";

const json = JSON.stringify;
const parsed = (text: string | undefined): unknown => (text === undefined ? undefined : JSON.parse(text));

/** inspectionData with its JSON text fields parsed, for comparison. */
function inspection(out: TestStateCommandOutput): Record<string, unknown> | undefined {
  if (!out.inspectionData) return undefined;
  return Object.fromEntries(Object.entries(out.inspectionData).map(([k, v]) => [k, typeof v === "string" ? JSON.parse(v) : v]));
}

const HELLO = json({ Value: "HelloWorld" });
const NESTED = json({ initialData: { fieldFromInput: "value from input", otherField: "other" }, unrelatedData: { someOtherField: 1234 } });
const IO_PASS = { Type: "Pass", InputPath: "$.initialData", Parameters: { staticValue: "some value", "inputValue.$": "$.fieldFromInput" }, ResultPath: "$.modifiedData", End: true };
const LAMBDA_JSONATA = { QueryLanguage: "JSONata", Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Arguments: { FunctionName: "foo", Payload: "bar" }, End: true };

describe("TestState", () => {
  let api: TestApi;
  const test = (input: TestStateCommandInput): Promise<TestStateCommandOutput> => api.sfn.send(new TestStateCommand(input));
  beforeAll(async () => {
    api = await startTestApi({
      functions: {
        greet: (input) => `Hello ${String((input as { name?: string }).name)}!`,
        explode: () => {
          throw Object.assign(new Error("it blew up"), { name: "Boom" });
        },
      },
    });
  });
  afterAll(() => api.close());

  describe("inspection levels", () => {
    it("INFO answers the output and status only", async () => {
      const out = await test({ definition: json(IO_PASS), input: NESTED, inspectionLevel: "INFO" });
      expect(out.status).toBe("SUCCEEDED");
      expect(parsed(out.output)).toEqual({ ...JSON.parse(NESTED), modifiedData: { staticValue: "some value", inputValue: "value from input" } });
      expect(out.inspectionData).toBeUndefined();
      expect(out.nextState).toBeUndefined();
    });

    it.each(["DEBUG", "TRACE"] as const)("%s adds each step of a JSONPath data flow", async (level) => {
      const out = await test({ definition: json(IO_PASS), input: NESTED, inspectionLevel: level });
      const modified = { staticValue: "some value", inputValue: "value from input" };
      expect(inspection(out)).toEqual({
        input: JSON.parse(NESTED),
        afterInputPath: { fieldFromInput: "value from input", otherField: "other" },
        afterParameters: modified,
        afterResultSelector: modified,
        afterResultPath: { ...JSON.parse(NESTED), modifiedData: modified },
      });
    });

    it("without inspectionLevel answers as INFO", async () => {
      const out = await test({ definition: json({ Type: "Pass", End: true }), input: HELLO });
      expect(out.inspectionData).toBeUndefined();
      expect(parsed(out.output)).toEqual({ Value: "HelloWorld" });
    });
  });

  describe("each state type", () => {
    it("Pass: a Result replaces InputPath and Parameters", async () => {
      const state = { ...IO_PASS, Result: { resultKey: "result value" } };
      const out = await test({ definition: json(state), input: NESTED, inspectionLevel: "DEBUG" });
      const placed = { ...JSON.parse(NESTED), modifiedData: { resultKey: "result value" } };
      expect(parsed(out.output)).toEqual(placed);
      expect(inspection(out)).toEqual({ input: JSON.parse(NESTED), result: { resultKey: "result value" }, afterResultSelector: { resultKey: "result value" }, afterResultPath: placed });
    });

    it("Choice: the matching rule's Next is nextState", async () => {
      const choice = {
        Type: "Choice",
        Choices: [
          { And: [{ Variable: "$.value", NumericGreaterThanEquals: 20 }, { Variable: "$.value", NumericLessThan: 30 }], Next: "ValueInTwenties" },
          { Variable: "$.type", StringEquals: "Public", Next: "Public" },
        ],
        Default: "DefaultState",
      };
      const out = await test({ definition: json(choice), input: json({ type: "Private", value: 22 }), inspectionLevel: "DEBUG" });
      expect(out).toMatchObject({ status: "SUCCEEDED", nextState: "ValueInTwenties" });
      expect(parsed(out.output)).toEqual({ type: "Private", value: 22 });
      expect(inspection(out)).toEqual({ input: { type: "Private", value: 22 }, afterInputPath: { type: "Private", value: 22 } });
      const other = await test({ definition: json(choice), input: json({ type: "Private", value: 50 }) });
      expect(other.nextState).toBe("DefaultState");
    });

    it("Choice with no match and no Default fails with States.NoChoiceMatched", async () => {
      const out = await test({ definition: json({ Type: "Choice", Choices: [{ Variable: "$.n", NumericEquals: 1, Next: "One" }] }), input: json({ n: 2 }) });
      expect(out).toMatchObject({ status: "FAILED", error: "States.NoChoiceMatched" });
    });

    it("Wait does not wait", async () => {
      const started = Date.now();
      const out = await test({ definition: json({ Type: "Wait", Seconds: 86_400, Next: "After" }), input: HELLO, inspectionLevel: "DEBUG" });
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(out).toMatchObject({ status: "SUCCEEDED", nextState: "After" });
      expect(inspection(out)).toEqual({ input: { Value: "HelloWorld" }, afterInputPath: { Value: "HelloWorld" } });
    });

    it("Succeed ends with its input", async () => {
      const out = await test({ definition: json({ Type: "Succeed" }), input: HELLO, inspectionLevel: "DEBUG" });
      expect(out.status).toBe("SUCCEEDED");
      expect(out.nextState).toBeUndefined();
      expect(inspection(out)).toEqual({ input: { Value: "HelloWorld" }, afterInputPath: { Value: "HelloWorld" } });
    });

    it("Fail answers FAILED with its error and cause", async () => {
      const out = await test({ definition: json({ Type: "Fail", Error: "SomeFailure", Cause: "This state machines raises a 'SomeFailure' failure." }), input: HELLO, inspectionLevel: "DEBUG" });
      expect(out).toMatchObject({ status: "FAILED", error: "SomeFailure", cause: "This state machines raises a 'SomeFailure' failure." });
      expect(out.output).toBeUndefined();
      expect(inspection(out)).toEqual({ input: { Value: "HelloWorld" }, afterInputPath: { Value: "HelloWorld" } });
    });

    it("Task with a mocked result runs ResultSelector, ResultPath and OutputPath", async () => {
      const state = { Type: "Task", Resource: "arn:aws:states:::dynamodb:putItem", Parameters: { "TableName.$": "$.table" }, ResultSelector: { "code.$": "$.SdkHttpMetadata.HttpStatusCode" }, ResultPath: "$.put", OutputPath: "$.put", Next: "Done" };
      const out = await test({ definition: json(state), input: json({ table: "T" }), mock: { result: json({ SdkHttpMetadata: { HttpStatusCode: 200 } }) }, inspectionLevel: "DEBUG" });
      expect(out).toMatchObject({ status: "SUCCEEDED", nextState: "Done" });
      expect(parsed(out.output)).toEqual({ code: 200 });
      expect(inspection(out)).toEqual({
        input: { table: "T" },
        afterInputPath: { table: "T" },
        afterParameters: { TableName: "T" },
        result: { SdkHttpMetadata: { HttpStatusCode: 200 } },
        afterResultSelector: { code: 200 },
        afterResultPath: { table: "T", put: { code: 200 } },
      });
    });

    it("Map with a mocked result reports its settings and runs its Output (JSONata)", async () => {
      const map = {
        QueryLanguage: "JSONata", Type: "Map", Items: "{% $states.input.Values %}", MaxConcurrency: "{% 1 %}",
        ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, StartAt: "TestState", States: { TestState: { ...LAMBDA_JSONATA } } },
        Output: "{% $states.result %}", End: true,
      };
      const out = await test({ definition: json(map), input: json({ Values: [1, 2, 3] }), roleArn: ROLE_ARN, mock: { result: json([1, 1, 1]) }, inspectionLevel: "DEBUG" });
      expect(out.status).toBe("SUCCEEDED");
      expect(parsed(out.output)).toEqual([1, 1, 1]);
      expect(inspection(out)).toEqual({ input: { Values: [1, 2, 3] }, maxConcurrency: 1 });
    });

    it("Map (JSONPath) reports afterItemsPath and its tolerated failures", async () => {
      const map = { Type: "Map", ItemsPath: "$.Values", ToleratedFailureCount: 2, ItemProcessor: { StartAt: "P", States: { P: { Type: "Pass", End: true } } }, ResultPath: "$.r", End: true };
      const out = await test({ definition: json(map), input: json({ Values: ["first", "second", "third"] }), mock: { result: json(["a", "b", "c"]) }, inspectionLevel: "TRACE" });
      expect(parsed(out.output)).toEqual({ Values: ["first", "second", "third"], r: ["a", "b", "c"] });
      expect(inspection(out)).toMatchObject({ afterItemsPath: ["first", "second", "third"], maxConcurrency: 0, toleratedFailureCount: 2 });
    });

    it("Parallel with a mocked result (one item per branch)", async () => {
      const branch = (name: string) => ({ StartAt: name, States: { [name]: { Type: "Pass", End: true } } });
      const parallel = { Type: "Parallel", Branches: [branch("B1"), branch("B2")], ResultSelector: { "first.$": "$[0]" }, Next: "After" };
      const out = await test({ definition: json(parallel), input: "{}", mock: { result: json(["x", "y"]) }, inspectionLevel: "DEBUG" });
      expect(out).toMatchObject({ status: "SUCCEEDED", nextState: "After" });
      expect(parsed(out.output)).toEqual({ first: "x" });
      expect(inspection(out)).toMatchObject({ afterParameters: {}, afterResultSelector: { first: "x" } });
    });
  });

  describe("mocks, retries and catchers (AWS's recorded answers)", () => {
    const catching = { ...LAMBDA_JSONATA, Catch: [{ ErrorEquals: ["MockException"], Output: "{% $states %}", Next: "HandleMockError" }, { ErrorEquals: ["States.TaskFailed"], Output: "{% $states %}", Next: "HandleThreshold" }] };

    it("a caught mocked error is CAUGHT_ERROR with the catcher's Next and Output", async () => {
      const out = await test({ definition: json(catching), roleArn: ROLE_ARN, input: HELLO, inspectionLevel: "DEBUG", mock: { errorOutput: { error: "MockException", cause: "Mock the cause of the error." } } });
      expect(out).toMatchObject({ status: "CAUGHT_ERROR", error: "MockException", cause: "Mock the cause of the error.", nextState: "HandleMockError" });
      expect(inspection(out)).toEqual({ input: { Value: "HelloWorld" }, afterArguments: { FunctionName: "foo", Payload: "bar" }, errorDetails: { catchIndex: 0 } });
      const states = parsed(out.output) as { input: unknown; errorOutput: unknown; context: { Execution: Record<string, unknown>; State: unknown } };
      expect(states.input).toEqual({ Value: "HelloWorld" });
      expect(states.errorOutput).toEqual({ Error: "MockException", Cause: "Mock the cause of the error." });
      expect(states.context.Execution).toMatchObject({ Input: { Value: "HelloWorld" }, RoleArn: ROLE_ARN });
      expect(states.context.Execution["Id"]).toMatch(/^arn:aws:states:us-east-1:123456789012:express:[^:]+:[^:]+$/);
      expect(states.context.State).toMatchObject({ Name: "StateName", RetryCount: 0 });
    });

    it("States.TaskFailed goes to the catcher that names it", async () => {
      const out = await test({ definition: json(catching), roleArn: ROLE_ARN, input: HELLO, inspectionLevel: "TRACE", mock: { errorOutput: { error: "States.TaskFailed", cause: "The task failed." } } });
      expect(out).toMatchObject({ status: "CAUGHT_ERROR", nextState: "HandleThreshold" });
      expect(inspection(out)?.["errorDetails"]).toEqual({ catchIndex: 1 });
    });

    it("a retrier with attempts left makes the state RETRIABLE; a spent one FAILED", async () => {
      const retrying = { ...LAMBDA_JSONATA, Retry: [{ ErrorEquals: ["MockException"], IntervalSeconds: 1, MaxAttempts: 5, BackoffRate: 2.0 }] };
      const mock = { errorOutput: { error: "MockException", cause: "Mock the cause of the error." } };
      const left = await test({ definition: json(retrying), roleArn: ROLE_ARN, input: "{}", inspectionLevel: "DEBUG", stateConfiguration: { retrierRetryCount: 4 }, mock });
      expect(left).toMatchObject({ status: "RETRIABLE", error: "MockException", cause: "Mock the cause of the error." });
      expect(left.output).toBeUndefined();
      expect(left.inspectionData?.errorDetails).toEqual({ retryBackoffIntervalSeconds: 16, retryIndex: 0 });
      const spent = await test({ definition: json(retrying), roleArn: ROLE_ARN, input: "{}", inspectionLevel: "DEBUG", stateConfiguration: { retrierRetryCount: 5 }, mock });
      expect(spent.status).toBe("FAILED");
      expect(spent.inspectionData?.errorDetails).toEqual({ retryIndex: 0 });
    });

    it("an uncaught mocked error is FAILED", async () => {
      const out = await test({ definition: json(LAMBDA_JSONATA), input: "{}", mock: { errorOutput: { error: "Nope" } } });
      expect(out).toMatchObject({ status: "FAILED", error: "Nope" });
      expect(out.cause).toBeUndefined();
    });

    it("a supplied context object replaces $$ whole", async () => {
      const state = { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { "FunctionName.$": "$.FunctionName" }, ResultSelector: { "ContextObjectValue.$": "$$", "LambdaOutput.$": "$" }, End: true };
      const context = { Execution: {}, State: {}, StateMachine: {} };
      const out = await test({ definition: json(state), input: json({ FunctionName: "f" }), context: json(context), mock: { result: json({ pokemon: "pikachu" }) } });
      expect(parsed(out.output)).toEqual({ ContextObjectValue: context, LambdaOutput: { pokemon: "pikachu" } });
    });
  });

  describe("a Task without a mock calls the local task function", () => {
    const invoke = (name: string) => ({ Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: name, "Payload.$": "$" }, ResultSelector: { "greeting.$": "$.Payload" }, Next: "Next" });

    it("and runs its result through the data flow", async () => {
      const out = await test({ definition: json(invoke("greet")), roleArn: ROLE_ARN, input: json({ name: "Ada" }), inspectionLevel: "DEBUG" });
      expect(out).toMatchObject({ status: "SUCCEEDED", nextState: "Next" });
      expect(parsed(out.output)).toEqual({ greeting: "Hello Ada!" });
      expect(inspection(out)).toMatchObject({ afterParameters: { FunctionName: "greet", Payload: { name: "Ada" } }, result: { Payload: "Hello Ada!", StatusCode: 200 } });
    });

    it("and reports what it threw through Retry/Catch", async () => {
      const state = { ...invoke("explode"), Catch: [{ ErrorEquals: ["Boom"], ResultPath: "$.error", Next: "Handler" }] };
      const out = await test({ definition: json(state), roleArn: ROLE_ARN, input: json({ name: "Ada" }) });
      expect(out).toMatchObject({ status: "CAUGHT_ERROR", error: "Boom", cause: "it blew up", nextState: "Handler" });
      expect(parsed(out.output)).toEqual({ name: "Ada", error: { Error: "Boom", Cause: "it blew up" } });
    });

    it("and fails with States.TaskFailed when no function is registered", async () => {
      const out = await test({ definition: json(invoke("nobody")), roleArn: ROLE_ARN, input: "{}" });
      expect(out).toMatchObject({ status: "FAILED", error: "States.TaskFailed" });
    });

    it("but needs a role, as AWS does", async () => {
      await expect(test({ definition: json(invoke("greet")), input: "{}" })).rejects.toMatchObject({ name: "ValidationException", message: "RoleArn must be specified when testing a Task state" });
    });
  });

  describe("stateName, variables and JSONata", () => {
    const machine = {
      QueryLanguage: "JSONata",
      StartAt: "State0",
      States: {
        State0: { Type: "Pass", Assign: { doubled: "{% $n * 2 %}" }, Output: { sum: "{% $n + $states.input.add %}", name: "{% $states.context.State.Name %}" }, Next: "State1" },
        State1: { Type: "Fail", Error: "SomeFailure", Cause: "This state machines raises a 'SomeFailure' failure." },
      },
    };

    it("tests one state of a whole machine, with variables in and assigned", async () => {
      const out = await test({ definition: json(machine), stateName: "State0", input: json({ add: 1 }), variables: json({ n: 5 }), inspectionLevel: "DEBUG" });
      expect(out).toMatchObject({ status: "SUCCEEDED", nextState: "State1" });
      expect(parsed(out.output)).toEqual({ sum: 6, name: "StateName" });
      expect(inspection(out)).toEqual({ input: { add: 1 }, variables: { n: 5, doubled: 10 } });
      const failing = await test({ definition: json(machine), stateName: "State1", input: "{}", inspectionLevel: "DEBUG" });
      expect(failing).toMatchObject({ status: "FAILED", error: "SomeFailure" });
      expect(inspection(failing)).toEqual({ input: {} });
    });

    it("a JSONata expression error fails the state with States.QueryEvaluationError", async () => {
      const out = await test({ definition: json({ QueryLanguage: "JSONata", Type: "Pass", Output: "{% $number('x') %}", End: true }), input: "{}" });
      expect(out).toMatchObject({ status: "FAILED", error: "States.QueryEvaluationError" });
    });
  });

  describe("errors", () => {
    const reject = (input: TestStateCommandInput) => expect(test(input)).rejects;

    it("an invalid state is InvalidDefinition, located in the state", async () => {
      await reject({ definition: json({ Type: "Pass", ResultPath: 7, End: true }) }).toMatchObject({ name: "InvalidDefinition", message: expect.stringContaining("at /ResultPath") });
      await reject({ definition: "{ not json" }).toMatchObject({ name: "InvalidDefinition" });
    });

    it("input that is not JSON is InvalidExecutionInput", async () => {
      await reject({ definition: json({ Type: "Pass", End: true }), input: "{oops" }).toMatchObject({ name: "InvalidExecutionInput" });
    });

    it("an unknown stateName is a ValidationException", async () => {
      await reject({ definition: json({ StartAt: "A", States: { A: { Type: "Pass", End: true } } }), stateName: "B" }).toMatchObject({ name: "ValidationException", message: "State not found in definition" });
    });

    it("refuses mocks where AWS does", async () => {
      await reject({ definition: json({ Type: "Pass", End: true }), mock: { result: "{}" } }).toMatchObject({ name: "ValidationException", message: "State type 'Pass' is not supported when a mock is specified" });
      const map = { Type: "Map", ItemProcessor: { StartAt: "P", States: { P: { Type: "Pass", End: true } } }, End: true };
      await reject({ definition: json(map), input: "[]" }).toMatchObject({ name: "InvalidDefinition", message: "TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]" });
      await reject({ definition: json(map), input: "[]", mock: { result: "{}" } }).toMatchObject({ name: "ValidationException", message: "Mocked result must be an array." });
      await reject({ definition: json(LAMBDA_JSONATA), mock: { result: "{}", errorOutput: { error: "E" } } }).toMatchObject({ message: "A test mock should have only one of the following fields: [result, errorOutput]." });
      await reject({ definition: json(LAMBDA_JSONATA), mock: { result: "not JSON string", fieldValidationMode: "NONE" } }).toMatchObject({ name: "ValidationException", message: "Mocked result must be valid JSON" });
      await reject({ definition: json(LAMBDA_JSONATA), mock: { result: "{}" }, revealSecrets: true }).toMatchObject({ message: "TestState does not support RevealSecrets when a mock is specified." });
    });

    it("checks a supplied context object", async () => {
      await reject({ definition: json(LAMBDA_JSONATA), roleArn: ROLE_ARN, context: "{}" }).toMatchObject({ name: "ValidationException" });
      const withMock = (context: unknown) => ({ definition: json(LAMBDA_JSONATA), mock: { result: "{}" }, context: json(context) });
      await reject(withMock({ Execution: { Id: 1 } })).toMatchObject({ message: "Invalid Context object provided: Execution.Id must be a string" });
      await reject(withMock({ Map: {} })).toMatchObject({ message: "Invalid Context object provided: 'Map' field is not supported when mocking a Context object" });
      await reject(withMock({ Pokedex: {} })).toMatchObject({ message: "Invalid Context object provided: Field 'Pokedex' is not allowed" });
      await reject(withMock({ Task: { Token: "t" } })).toMatchObject({ message: expect.stringContaining("Context object contains 'Task'") });
    });

    it("a role that is not an IAM role ARN is InvalidArn", async () => {
      await reject({ definition: json({ Type: "Pass", End: true }), roleArn: "not-an-arn" }).toMatchObject({ name: "InvalidArn" });
    });
  });
});
