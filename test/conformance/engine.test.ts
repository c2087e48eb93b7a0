/**
 * The engine the conformance suites run cases on (engine.ts): every adapter Aslan ships, from a
 * config whose empty sections run DynamoDB, S3 and Secrets Manager with nothing in them, so a
 * request on a table, bucket or secret fails as it does on a fresh AWS account.
 */
import { describe, expect, it } from "vitest";
import { runConformance } from "./engine.js";

const task = (resource: string, parameters: object): object => ({
  StartAt: "T",
  States: { T: { Type: "Task", Resource: `arn:aws:states:::aws-sdk:${resource}`, Parameters: parameters, End: true } },
});

describe("the conformance engine", () => {
  it("runs DynamoDB with no tables: putItem on any table is DynamoDb.ResourceNotFoundException", async () => {
    const r = await runConformance(task("dynamodb:putItem", { TableName: "no_such_table", Item: { id: { S: "1" } } }), {});
    expect(r.error).toBe("DynamoDb.ResourceNotFoundException");
    expect(r.cause).toMatch(/^Requested resource not found \(Service: DynamoDb, Status Code: 400, Request ID: \w+\)$/);
  });

  it("runs S3 with no buckets and Secrets Manager with no secrets", async () => {
    expect((await runConformance(task("s3:listBuckets", {}), {})).output).toMatchObject({ Buckets: [] });
    expect((await runConformance(task("secretsmanager:listSecrets", {}), {})).output).toEqual({ SecretList: [] });
  });

  it("gives each case a fresh account: what one case creates, the next does not see", async () => {
    expect((await runConformance(task("s3:createBucket", { Bucket: "made-by-one-case" }), {})).status).toBe("SUCCEEDED");
    expect((await runConformance(task("s3:headBucket", { Bucket: "made-by-one-case" }), {})).error).toBe("S3.NoSuchBucketException");
  });
});
