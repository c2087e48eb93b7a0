/**
 * SigV4 on `aslan serve`: the SDK with the right key is served, anything else gets AWS's
 * authentication errors. Hand-made requests only where the SDK cannot make the bad request
 * (no Authorization header, a body changed after signing).
 */
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateStateMachineCommand, DescribeStateMachineCommand, SFNClient, type SFNClientConfig } from "@aws-sdk/client-sfn";
import { Sha256 } from "@aws-crypto/sha256-js";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { startServer } from "../../runtime/api/server.js";
import { ROLE_ARN, startTestApi, type TestApi } from "./helpers.js";

const KEY = { accessKeyId: "AKIDASLANTEST", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYzEXAMPLEKEY" };
const DEFINITION = JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", End: true } } });

interface Raw {
  readonly status: number;
  readonly body: { __type?: string; message?: string } & Record<string, unknown>;
}

/** One POST with exactly these headers and body. */
function post(url: string, headers: Record<string, string>, body: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers }, (res) => {
      let text = "";
      res.on("data", (b: Buffer) => (text += b.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Raw["body"] }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Headers of a DescribeStateMachine call signed as the SDK signs it. */
async function signed(url: string, body: string, options: { checksumHeader: boolean; service?: string }): Promise<Record<string, string>> {
  const { hostname, port, host } = new URL(url);
  const signer = new SignatureV4({ service: options.service ?? "states", region: "us-east-1", credentials: KEY, sha256: Sha256, applyChecksum: options.checksumHeader });
  const req = new HttpRequest({
    method: "POST", protocol: "http:", hostname, port: Number(port), path: "/",
    headers: { host, "content-type": "application/x-amz-json-1.0", "x-amz-target": "AWSStepFunctions.DescribeStateMachine" },
    body,
  });
  return (await signer.sign(req)).headers;
}

describe("SigV4 authentication", () => {
  let api: TestApi;
  let arn: string;
  const client = (config: Partial<SFNClientConfig>): SFNClient =>
    new SFNClient({ endpoint: api.server.url, region: "us-east-1", maxAttempts: 1, credentials: KEY, ...config });

  beforeAll(async () => {
    api = await startTestApi({ credentials: KEY });
    const created = await client({}).send(new CreateStateMachineCommand({ name: "signed", definition: DEFINITION, roleArn: ROLE_ARN }));
    arn = created.stateMachineArn ?? "";
  });
  afterAll(() => api.close());

  it("the right key is served, signed for any region", async () => {
    for (const region of ["us-east-1", "eu-west-3", "ap-southeast-2"]) {
      const described = await client({ region }).send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
      expect(described.definition).toBe(DEFINITION);
    }
  });

  it("a wrong secret is InvalidSignatureException, with the canonical request AWS would have expected", async () => {
    const call = client({ credentials: { ...KEY, secretAccessKey: "not-the-secret" } }).send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
    await expect(call).rejects.toMatchObject({
      name: "InvalidSignatureException",
      message: expect.stringMatching(/^The request signature we calculated does not match the signature you provided\. Check your AWS Secret Access Key and signing method\. [\s\S]*The Canonical String for this request should have been\n'POST\n\/\n/),
    });
  });

  it("an unknown access key is UnrecognizedClientException", async () => {
    const call = client({ credentials: { ...KEY, accessKeyId: "AKIDNOBODY" } }).send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
    await expect(call).rejects.toMatchObject({ name: "UnrecognizedClientException", message: "The security token included in the request is invalid." });
  });

  it("a request signed more than 15 minutes away from the server's time is rejected either way", async () => {
    const late = client({ systemClockOffset: -16 * 60_000 }).send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
    await expect(late).rejects.toMatchObject({ name: "InvalidSignatureException", message: expect.stringMatching(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/) });
    const early = client({ systemClockOffset: 16 * 60_000 }).send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
    await expect(early).rejects.toMatchObject({ name: "InvalidSignatureException", message: expect.stringMatching(/^Signature not yet current: /) });
    // Within the window is fine.
    const skewed = await client({ systemClockOffset: -10 * 60_000 }).send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
    expect(skewed.stateMachineArn).toBe(arn);
  });

  it("a request without an Authorization header is MissingAuthenticationTokenException", async () => {
    const res = await post(api.server.url, { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AWSStepFunctions.DescribeStateMachine" },
      JSON.stringify({ stateMachineArn: arn }));
    expect(res.body).toEqual({ __type: "com.amazon.coral.service#MissingAuthenticationTokenException", message: "Request is missing Authentication Token" });
    expect(res.status).toBeGreaterThanOrEqual(400);
  });

  it("an Authorization header missing parts is IncompleteSignatureException naming them", async () => {
    const res = await post(api.server.url, {
      "content-type": "application/x-amz-json-1.0", "x-amz-target": "AWSStepFunctions.DescribeStateMachine",
      authorization: `AWS4-HMAC-SHA256 Credential=${KEY.accessKeyId}/20240101/us-east-1/states/aws4_request`,
    }, JSON.stringify({ stateMachineArn: arn }));
    expect(res.body.__type).toBe("com.amazon.coral.service#IncompleteSignatureException");
    expect(res.body.message).toContain("Authorization header requires 'Signature' parameter.");
    expect(res.body.message).toContain("Authorization header requires 'SignedHeaders' parameter.");
    expect(res.body.message).toContain("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  });

  it("a hand-signed request is served as signed, and rejected once its body is changed", async () => {
    const body = JSON.stringify({ stateMachineArn: arn });
    const tampered = JSON.stringify({ stateMachineArn: arn.replace("signed", "signee") });
    for (const checksumHeader of [false, true]) {
      const headers = await signed(api.server.url, body, { checksumHeader });
      const ok = await post(api.server.url, headers, body);
      expect(ok.status).toBe(200);
      expect(ok.body["stateMachineArn"]).toBe(arn);
      const bad = await post(api.server.url, { ...headers, "content-length": String(Buffer.byteLength(tampered)) }, tampered);
      expect(bad.body.__type).toBe("com.amazon.coral.service#InvalidSignatureException");
      expect(bad.body.message).toMatch(/^The request signature we calculated does not match/);
    }
  });

  it("a signature scoped to another service is rejected", async () => {
    const body = JSON.stringify({ stateMachineArn: arn });
    const res = await post(api.server.url, await signed(api.server.url, body, { checksumHeader: false, service: "dynamodb" }), body);
    expect(res.body).toEqual({ __type: "com.amazon.coral.service#InvalidSignatureException", message: "Credential should be scoped to correct service: 'states'." });
  });

  it("an unknown operation is UnknownOperationException before authentication, as AWS answers", async () => {
    const res = await post(api.server.url, { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AWSStepFunctions.NoSuchAction" }, "{}");
    expect(res.body.__type).toBe("com.amazon.coral.service#UnknownOperationException");
  });

  it("health and metrics need no signature (probes and scrapers don't sign)", async () => {
    expect((await fetch(`${api.server.url}/healthz`)).status).toBe(200);
    const metrics = await fetch(`${api.server.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/aslan_api_requests_total\{action="DescribeStateMachine",status="403"\} [1-9]/);
  });
});

describe("without credentials", () => {
  it("any signature is accepted on loopback", async () => {
    const api = await startTestApi();
    try {
      const created = await api.sfn.send(new CreateStateMachineCommand({ name: "open", definition: DEFINITION, roleArn: ROLE_ARN }));
      expect(created.stateMachineArn).toMatch(/:stateMachine:open$/);
    } finally {
      await api.close();
    }
  });

  it("binding anything but loopback is refused unless explicitly allowed", async () => {
    for (const host of ["0.0.0.0", "::"]) {
      await expect(startServer({ port: 0, host })).rejects.toThrow(/refusing to serve unauthenticated requests on/);
    }
    const allowed = await startServer({ port: 0, host: "0.0.0.0", allowUnauthenticated: true });
    expect(allowed.port).toBeGreaterThan(0);
    await allowed.close();
  });
});
