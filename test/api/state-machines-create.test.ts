import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateStateMachineCommand, DescribeStateMachineCommand } from "@aws-sdk/client-sfn";
import { errorName, ROLE_ARN, startTestApi, type TestApi } from "./helpers.js";

const definition = JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", End: true } } });

describe("CreateStateMachine / DescribeStateMachine", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it("creates, describes, and returns the same ARN for the same request", async () => {
    const created = await api.sfn.send(new CreateStateMachineCommand({ name: "hello", definition, roleArn: ROLE_ARN }));
    expect(created.stateMachineArn).toBe("arn:aws:states:us-east-1:123456789012:stateMachine:hello");
    expect(created.creationDate).toBeInstanceOf(Date);
    const described = await api.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }));
    expect(described).toMatchObject({ name: "hello", status: "ACTIVE", definition, roleArn: ROLE_ARN, type: "STANDARD" });
    const again = await api.sfn.send(new CreateStateMachineCommand({ name: "hello", definition, roleArn: ROLE_ARN }));
    expect(again.stateMachineArn).toBe(created.stateMachineArn);
    const other = JSON.stringify({ StartAt: "Q", States: { Q: { Type: "Succeed" } } });
    expect(await errorName(api.sfn.send(new CreateStateMachineCommand({ name: "hello", definition: other, roleArn: ROLE_ARN })))).toBe("StateMachineAlreadyExists");
  });

  it("rejects an invalid definition with every problem and where it is", async () => {
    const bad = JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", Next: "Nowhere" } } });
    const call = api.sfn.send(new CreateStateMachineCommand({ name: "bad", definition: bad, roleArn: ROLE_ARN }));
    await expect(call).rejects.toMatchObject({ name: "InvalidDefinition", message: expect.stringContaining("/States/P/Next") });
  });

  it("rejects bad names and unknown state machines", async () => {
    expect(await errorName(api.sfn.send(new CreateStateMachineCommand({ name: "has space", definition, roleArn: ROLE_ARN })))).toBe("InvalidName");
    expect(await errorName(api.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:nope" })))).toBe("StateMachineDoesNotExist");
    expect(await errorName(api.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: "not-an-arn" })))).toBe("InvalidArn");
  });
});
