import { describe, expect, it } from "vitest";
import { parseResource } from "./resource.js";

describe("parseResource", () => {
  it.each([
    ["arn:aws:states:::lambda:invoke", "lambda", "invoke", "request-response"],
    ["arn:aws:states:::sqs:sendMessage.waitForTaskToken", "sqs", "sendMessage.waitForTaskToken", "waitForTaskToken"],
    ["arn:aws:states:::states:startExecution.sync", "states", "startExecution.sync", "sync"],
    ["arn:aws:states:::states:startExecution.sync:2", "states", "startExecution.sync:2", "sync"],
    ["arn:aws:states:::aws-sdk:dynamodb:getItem", "aws-sdk:dynamodb", "getItem", "request-response"],
  ])("%s → resourceType %s, resource %s, %s", (arn, resourceType, resource, pattern) => {
    expect(parseResource(arn)).toMatchObject({ kind: "service", resourceType, resource, pattern });
  });

  it("tells bare Lambda ARNs and activities apart", () => {
    expect(parseResource("arn:aws:lambda:us-east-1:123456789012:function:Charge").kind).toBe("lambda-function");
    expect(parseResource("arn:aws:states:us-east-1:123456789012:activity:approve").kind).toBe("activity");
  });
});
