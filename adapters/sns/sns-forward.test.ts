/**
 * `forward.sns`: Publish through the AWS SDK to the configured endpoint. No SNS emulator runs
 * in process, so a loopback stand-in speaks SNS's query protocol: the test checks the request
 * the SDK makes from the Task's parameters and the result and errors mapped back.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createEngine } from "../../index.js";
import { AdapterTaskBus } from "../../runtime/bus/adapter-task-bus.js";
import type { JsonObject } from "../../translators/json.js";
import { createSnsAdapter } from "./index.js";

let server: Server;
let endpoint: string;
const requests: URLSearchParams[] = [];

const MESSAGE_ID = "11111111-2222-4333-8444-555555555555";
const REQUEST_ID = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
      requests.push(form);
      if (form.get("TopicArn")?.endsWith(":nope")) {
        res.writeHead(404, { "Content-Type": "text/xml", "x-amzn-RequestId": REQUEST_ID });
        res.end(`<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>NotFound</Code><Message>Topic does not exist</Message></Error><RequestId>${REQUEST_ID}</RequestId></ErrorResponse>`);
        return;
      }
      res.writeHead(200, { "Content-Type": "text/xml", "x-amzn-RequestId": REQUEST_ID });
      res.end(`<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${MESSAGE_ID}</MessageId></PublishResult><ResponseMetadata><RequestId>${REQUEST_ID}</RequestId></ResponseMetadata></PublishResponse>`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("forward.sns", () => {
  it("maps the Task's parameters to Publish and its response to the Task's result; errors to SNS.<Code>Exception", async () => {
    const sns = createSnsAdapter({ forward: { sns: { endpoint, region: "eu-west-1", credentials: { accessKeyId: "AKIDLOCAL", secretAccessKey: "local" } } } });
    if (!sns) throw new Error("no adapter");
    const engine = createEngine({ taskBus: new AdapterTaskBus([sns]), virtualTime: true });
    const definition = {
      StartAt: "P",
      States: {
        P: {
          Type: "Task", Resource: "arn:aws:states:::sns:publish",
          Parameters: { "TopicArn.$": "$.topic", Message: { a: 1 }, Subject: "S", MessageAttributes: { kind: { DataType: "String", StringValue: "order" } } },
          Catch: [{ ErrorEquals: ["SNS.NotFoundException"], Next: "Gone" }], End: true,
        },
        Gone: { Type: "Pass", End: true },
      },
    };
    const sm = engine.createStateMachine("fwd", definition);
    const ok = await engine.result(engine.startExecution(sm, { topic: "arn:aws:sns:eu-west-1:111122223333:real" }));
    const gone = await engine.result(engine.startExecution(sm, { topic: "arn:aws:sns:eu-west-1:111122223333:nope" }));
    engine.close();
    await sns.close();

    expect(ok.output).toMatchObject({ MessageId: MESSAGE_ID, SdkResponseMetadata: { RequestId: REQUEST_ID }, SdkHttpMetadata: { HttpStatusCode: 200 } });
    const form = requests[0] as URLSearchParams;
    expect(Object.fromEntries(form)).toMatchObject({
      Action: "Publish", TopicArn: "arn:aws:sns:eu-west-1:111122223333:real", Message: '{"a":1}', Subject: "S",
      "MessageAttributes.entry.1.Name": "kind", "MessageAttributes.entry.1.Value.DataType": "String", "MessageAttributes.entry.1.Value.StringValue": "order",
    });
    expect(gone.output).toMatchObject({ Error: "SNS.NotFoundException" });
    expect(String((gone.output as JsonObject)["Cause"])).toContain("Topic does not exist (Service: AmazonSNS; Status Code: 404; Error Code: NotFound;");
  });
});
