import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DescribeMapRunCommand } from "@aws-sdk/client-sfn";
import { errorName, startTestApi, type TestApi } from "./helpers.js";

describe("AWS JSON 1.0 protocol", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it("an action Aslan does not support yet is an AWS-shaped error naming it", async () => {
    const call = api.sfn.send(new DescribeMapRunCommand({ mapRunArn: "arn:aws:states:us-east-1:123456789012:mapRun:a/b:c" }));
    await expect(call).rejects.toMatchObject({ name: "UnsupportedOperation", message: expect.stringContaining("DescribeMapRun") });
    expect(await errorName(api.sfn.send(new DescribeMapRunCommand({ mapRunArn: "x" })))).toBe("UnsupportedOperation");
  });

  it("GET /healthz answers ok", async () => {
    const res = await fetch(`${api.server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });
});
