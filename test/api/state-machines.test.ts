import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  DescribeStateMachineForExecutionCommand,
  GetExecutionHistoryCommand,
  ListStateMachinesCommand,
  ListStateMachineVersionsCommand,
  StartExecutionCommand,
  StopExecutionCommand,
  UpdateStateMachineCommand,
} from "@aws-sdk/client-sfn";
import { errorName, ROLE_ARN, startTestApi, type TestApi, settled } from "./helpers.js";

const SM = "arn:aws:states:us-east-1:123456789012:stateMachine:";
const OTHER_ROLE = "arn:aws:iam::123456789012:role/OtherRole";
const pass = (result: string): string => JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", Result: result, End: true } } });
/** Waits an hour (real time): still running while the test updates the state machine. */
const waitAnHour = JSON.stringify({ StartAt: "W", States: { W: { Type: "Wait", Seconds: 3600, End: true } } });


describe("UpdateStateMachine", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it("makes a new revision only when something changes, as DescribeStateMachine shows", async () => {
    const arn = `${SM}updating`;
    await api.sfn.send(new CreateStateMachineCommand({ name: "updating", definition: pass("one"), roleArn: ROLE_ARN }));
    const fresh = await api.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
    expect(fresh.revisionId).toBeUndefined(); // AWS: a new state machine has no revision id

    const first = await api.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: pass("two") }));
    expect(first.updateDate).toBeInstanceOf(Date);
    expect(first.revisionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.stateMachineVersionArn).toBeUndefined();
    const described = await api.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
    expect(described).toMatchObject({ definition: pass("two"), roleArn: ROLE_ARN, revisionId: first.revisionId });
    expect(described.creationDate).toEqual(fresh.creationDate);

    const same = await api.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: pass("two"), roleArn: ROLE_ARN }));
    expect(same.revisionId).toBe(first.revisionId);

    const role = await api.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, roleArn: OTHER_ROLE }));
    expect(role.revisionId).not.toBe(first.revisionId);
    const logging = await api.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, tracingConfiguration: { enabled: true } }));
    expect(logging.revisionId).not.toBe(role.revisionId);
    const after = await api.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
    expect(after).toMatchObject({ definition: pass("two"), roleArn: OTHER_ROLE, tracingConfiguration: { enabled: true }, loggingConfiguration: { level: "OFF", includeExecutionData: false } });
  });

  it("publishes with the update, and the same revision again gives the same version", async () => {
    const arn = `${SM}publishing`;
    await api.sfn.send(new CreateStateMachineCommand({ name: "publishing", definition: pass("one"), roleArn: ROLE_ARN }));
    const v1 = await api.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: pass("two"), publish: true, versionDescription: "second" }));
    expect(v1.stateMachineVersionArn).toBe(`${arn}:1`);
    const again = await api.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: pass("two"), publish: true }));
    expect(again.stateMachineVersionArn).toBe(`${arn}:1`);
    const v2 = await api.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: pass("three"), publish: true }));
    expect(v2.stateMachineVersionArn).toBe(`${arn}:2`);
    const version = await api.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${arn}:1` }));
    expect(version).toMatchObject({ stateMachineArn: `${arn}:1`, definition: pass("two"), description: "second", revisionId: v1.revisionId });
  });

  it("answers every error AWS does", async () => {
    const arn = `${SM}errors`;
    await api.sfn.send(new CreateStateMachineCommand({ name: "errors", definition: pass("one"), roleArn: ROLE_ARN, publish: true }));
    await expect(api.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn }))).rejects.toMatchObject({
      name: "MissingRequiredParameter",
      message: "Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified",
    });
    const bad = JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", Next: "Nowhere" } } });
    await expect(api.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: bad }))).rejects.toMatchObject({
      name: "InvalidDefinition",
      message: expect.stringContaining("/States/P/Next"),
    });
    await expect(api.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: pass("x"), versionDescription: "d" }))).rejects.toMatchObject({
      name: "ValidationException",
      message: "Version description can only be set when publish is true",
    });
    expect(await errorName(api.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, roleArn: "not-a-role" })))).toBe("InvalidArn");
    expect(await errorName(api.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: `${SM}nope`, definition: pass("x") })))).toBe("StateMachineDoesNotExist");
    expect(await errorName(api.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: "nope", definition: pass("x") })))).toBe("InvalidArn");
    // A version cannot be updated (AWS: StateMachineDoesNotExist naming the version ARN).
    await expect(api.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: `${arn}:1`, definition: pass("x") }))).rejects.toMatchObject({
      name: "StateMachineDoesNotExist",
      message: `State Machine Does Not Exist: '${arn}:1'`,
    });
    // Nothing was changed by the failed updates.
    expect((await api.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }))).definition).toBe(pass("one"));
  });

  it("lets running executions keep the old definition while new ones run the new one", async () => {
    const arn = `${SM}evolving`;
    await api.sfn.send(new CreateStateMachineCommand({ name: "evolving", definition: waitAnHour, roleArn: ROLE_ARN }));
    const old = await api.sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: "{}" }));
    const update = await api.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: pass("new"), roleArn: OTHER_ROLE }));
    const fresh = await api.sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: "{}" }));
    const done = await settled(api.sfn, fresh.executionArn ?? "");
    expect(done).toMatchObject({ status: "SUCCEEDED", output: '"new"' });
    expect((await api.sfn.send(new DescribeExecutionCommand({ executionArn: old.executionArn }))).status).toBe("RUNNING");
    const history = await api.sfn.send(new GetExecutionHistoryCommand({ executionArn: old.executionArn }));
    expect(history.events?.map((e) => e.type)).toContain("WaitStateEntered");

    const ranOld = await api.sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn: old.executionArn }));
    expect(ranOld).toMatchObject({ stateMachineArn: arn, name: "evolving", definition: waitAnHour, roleArn: ROLE_ARN });
    expect(ranOld.revisionId).toBeUndefined();
    expect(ranOld.updateDate).toBeInstanceOf(Date);
    const ranNew = await api.sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn: fresh.executionArn }));
    expect(ranNew).toMatchObject({ stateMachineArn: arn, definition: pass("new"), roleArn: OTHER_ROLE, revisionId: update.revisionId, updateDate: update.updateDate });
    await api.sfn.send(new StopExecutionCommand({ executionArn: old.executionArn }));
  });

  it("describes the definition an execution ran even after its state machine is gone", async () => {
    const arn = `${SM}forgotten`;
    await api.sfn.send(new CreateStateMachineCommand({ name: "forgotten", definition: pass("x"), roleArn: ROLE_ARN }));
    const run = await api.sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    await settled(api.sfn, run.executionArn ?? "");
    await api.sfn.send(new DeleteStateMachineCommand({ stateMachineArn: arn }));
    const ran = await api.sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn: run.executionArn }));
    expect(ran.definition).toBe(pass("x"));
    const missing = "arn:aws:states:us-east-1:123456789012:execution:forgotten:nope";
    await expect(api.sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn: missing }))).rejects.toMatchObject({
      name: "ExecutionDoesNotExist",
      message: `Execution Does Not Exist: '${missing}'`,
    });
    expect(await errorName(api.sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn: "not-an-arn" })))).toBe("InvalidArn");
  });

  it("treats a repeated CreateStateMachine with another role as the same request, as AWS documents", async () => {
    const created = await api.sfn.send(new CreateStateMachineCommand({ name: "repeated", definition: pass("x"), roleArn: ROLE_ARN, publish: true }));
    const again = await api.sfn.send(new CreateStateMachineCommand({ name: "repeated", definition: pass("x"), roleArn: OTHER_ROLE, publish: true }));
    expect(again).toMatchObject({ stateMachineArn: created.stateMachineArn, creationDate: created.creationDate, stateMachineVersionArn: `${SM}repeated:1` });
    expect((await api.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }))).roleArn).toBe(ROLE_ARN);
    const traced = new CreateStateMachineCommand({ name: "repeated", definition: pass("x"), roleArn: ROLE_ARN, tracingConfiguration: { enabled: true } });
    expect(await errorName(api.sfn.send(traced))).toBe("StateMachineAlreadyExists");
  });
});

describe("DeleteStateMachine and ListStateMachines", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  const list = async (maxResults: number): Promise<string[][]> => {
    const pages: string[][] = [];
    let nextToken: string | undefined;
    do {
      const page = await api.sfn.send(new ListStateMachinesCommand({ maxResults, ...(nextToken ? { nextToken } : {}) }));
      pages.push((page.stateMachines ?? []).map((s) => s.name ?? ""));
      nextToken = page.nextToken;
    } while (nextToken);
    return pages;
  };

  it("lists by name across pages, with each item's fields", async () => {
    for (const name of ["sm_1_b", "sm_10_a", "sm_0_c", "sm_2_d", "sm_11_e"]) {
      await api.sfn.send(new CreateStateMachineCommand({ name, definition: pass(name), roleArn: ROLE_ARN, type: name === "sm_2_d" ? "EXPRESS" : "STANDARD" }));
    }
    // AWS orders by name, character by character ('0' sorts before '_').
    expect(await list(2)).toEqual([["sm_0_c", "sm_10_a"], ["sm_11_e", "sm_1_b"], ["sm_2_d"]]);
    expect(await list(0)).toEqual([["sm_0_c", "sm_10_a", "sm_11_e", "sm_1_b", "sm_2_d"]]);
    const all = await api.sfn.send(new ListStateMachinesCommand({}));
    expect(all.nextToken).toBeUndefined();
    expect(all.stateMachines?.find((s) => s.name === "sm_2_d")).toEqual({ stateMachineArn: `${SM}sm_2_d`, name: "sm_2_d", type: "EXPRESS", creationDate: expect.any(Date) });
  });

  it("refuses tokens it did not hand out and page sizes out of range", async () => {
    expect(await errorName(api.sfn.send(new ListStateMachinesCommand({ nextToken: "InvalidToken" })))).toBe("InvalidToken");
    await api.sfn.send(new CreateStateMachineCommand({ name: "versioned", definition: pass("v"), roleArn: ROLE_ARN }));
    for (const d of ["a", "b", "c"]) await api.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: `${SM}versioned`, definition: pass(d), publish: true }));
    const versions = await api.sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: `${SM}versioned`, maxResults: 1 }));
    expect(versions.nextToken).toBeDefined();
    // A token from another listing is no token for this one.
    expect(await errorName(api.sfn.send(new ListStateMachinesCommand({ nextToken: versions.nextToken })))).toBe("InvalidToken");
    await expect(api.sfn.send(new ListStateMachinesCommand({ maxResults: 1001 }))).rejects.toMatchObject({
      name: "ValidationException",
      message: "1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000",
    });
  });

  it("deletes a state machine (and again, which is no error), gone from Describe and the list", async () => {
    const arn = `${SM}doomed`;
    await api.sfn.send(new CreateStateMachineCommand({ name: "doomed", definition: pass("d"), roleArn: ROLE_ARN, publish: true }));
    await api.sfn.send(new DeleteStateMachineCommand({ stateMachineArn: arn }));
    expect(await errorName(api.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn })))).toBe("StateMachineDoesNotExist");
    expect(await errorName(api.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${arn}:1` })))).toBe("StateMachineDoesNotExist");
    expect((await list(100)).flat()).not.toContain("doomed");
    await expect(api.sfn.send(new DeleteStateMachineCommand({ stateMachineArn: arn }))).resolves.toBeDefined();
    expect(await errorName(api.sfn.send(new DeleteStateMachineCommand({ stateMachineArn: "not-an-arn" })))).toBe("InvalidArn");
    expect(await errorName(api.sfn.send(new DeleteStateMachineCommand({ stateMachineArn: `${SM}versioned:1` })))).toBe("ValidationException");
    // The same name can be created again, from version 1.
    const again = await api.sfn.send(new CreateStateMachineCommand({ name: "doomed", definition: pass("e"), roleArn: ROLE_ARN, publish: true }));
    expect(again.stateMachineVersionArn).toBe(`${arn}:1`);
  });
});
