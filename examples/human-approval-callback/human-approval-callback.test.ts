/**
 * Human approval with a callback: `sqs:sendMessage.waitForTaskToken` puts the request and its
 * task token on the approval-requests queue; an approver reads it and answers with
 * SendTaskSuccess (approved) or SendTaskFailure (rejected), sending SendTaskHeartbeat while
 * still deciding. Both answers run as the README runs them (the built `aslan serve --config`,
 * an approver on the SQS and Step Functions SDKs); the deadlines run on the engine.
 */
import { join } from "node:path";
import { CreateStateMachineCommand, SendTaskFailureCommand, SendTaskSuccessCommand, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { JsonObject } from "../../index.js";
import { queueStoreOf } from "../../adapters/sqs/index.js";
import { aslanServe, ensureBuilt, historyOf, receive, settled, type Server } from "../support/cli.js";
import { eventually, example, openProject, statesEntered, type Project } from "../support/project.js";

const ex = example(import.meta.url);
const CONFIG = join(ex.dir, "aslan.config.mjs");
const definition = ex.text("human-approval-callback.asl.json");
const input = ex.json<JsonObject>("input.json");
const ROLE = "arn:aws:iam::123456789012:role/demo";

interface ApprovalRequest {
  readonly taskToken: string;
  readonly requestId: string;
  readonly requester: string;
  readonly change: JsonObject;
}

describe("human-approval-callback through aslan serve --config: an approver on the AWS SDKs", () => {
  let server: Server;
  let stateMachineArn: string;
  beforeAll(async () => {
    await ensureBuilt();
    server = await aslanServe(["--config", "examples/human-approval-callback/aslan.config.mjs"]);
    stateMachineArn = (await server.sfn.send(new CreateStateMachineCommand({ name: "approval", roleArn: ROLE, definition }))).stateMachineArn ?? "";
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  /** The approver's inbox: the next request on the queue (long poll), parsed. */
  const nextRequest = async (): Promise<ApprovalRequest> => {
    const [body] = await receive(server.sqs, "approval-requests", 5, 1);
    if (body === undefined) throw new Error("no approval request arrived");
    return JSON.parse(body) as ApprovalRequest;
  };
  const start = async (value: JsonObject): Promise<string> =>
    (await server.sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(value) }))).executionArn ?? "";

  it("approved with SendTaskSuccess: the change is applied, the requester told, the expected output", async () => {
    const arn = await start(input);
    const request = await nextRequest();
    expect(request).toMatchObject({ requestId: "chg-7", requester: "bob@example.com", change: input["change"] });
    await server.sfn.send(new SendTaskSuccessCommand({ taskToken: request.taskToken, output: JSON.stringify({ approved: true, approver: "carol@example.com" }) }));
    const done = await settled(server.sfn, arn);
    expect(done.status).toBe("SUCCEEDED");
    expect(JSON.parse(done.output ?? "null")).toEqual(ex.json("expected-output.json"));
    const entered = (await historyOf(server.sfn, arn)).flatMap((e) => (e.stateEnteredEventDetails ? [e.stateEnteredEventDetails.name] : []));
    expect(entered).toEqual(["RequestApproval", "ApplyChange", "NotifyApproved"]);
    expect(await receive(server.sqs, "requester-notifications")).toEqual(["Request chg-7 was approved by carol@example.com and applied"]);
    const applied = (): boolean => server.served.lines.some((l) => l["function"] === "apply-change" && l["msg"] === "applying chg-7: deploy payments 2.4.0 (approved by carol@example.com)");
    expect(await eventually(applied, (found) => found)).toBe(true);
  });

  it("rejected with SendTaskFailure: Catch ApprovalRejected, the requester told why, FAILED with the approver's cause", async () => {
    const arn = await start({ ...input, requestId: "chg-8" });
    const request = await nextRequest();
    expect(request.requestId).toBe("chg-8");
    await server.sfn.send(new SendTaskFailureCommand({ taskToken: request.taskToken, error: "ApprovalRejected", cause: "no deploys during the change freeze" }));
    const done = await settled(server.sfn, arn);
    expect(done).toMatchObject({ status: "FAILED", error: "ApprovalRejected", cause: "no deploys during the change freeze" });
    const entered = (await historyOf(server.sfn, arn)).flatMap((e) => (e.stateEnteredEventDetails ? [e.stateEnteredEventDetails.name] : []));
    expect(entered).toEqual(["RequestApproval", "NotifyRejected", "Rejected"]);
    expect(await receive(server.sqs, "requester-notifications")).toEqual(["Request chg-8 was rejected: no deploys during the change freeze"]);
  });
});

describe("human-approval-callback's deadlines on the engine", () => {
  let project: Project;
  afterEach(async () => {
    await project?.close();
  });

  /** Approver side on the engine: the next request on the queue (the SNS-free path: the adapter's queue store). */
  const nextRequest = async (): Promise<ApprovalRequest> => {
    const store = queueStoreOf(project.adapter("sqs"));
    const [message] = (await store?.receiveMessages("approval-requests", { waitTimeSeconds: 5 })) ?? [];
    if (!message) throw new Error("no approval request arrived");
    await store?.deleteMessage("approval-requests", message.ReceiptHandle);
    return JSON.parse(message.Body) as ApprovalRequest;
  };
  const later = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
  const short = { ...input, approval: { timeoutSeconds: 2, heartbeatSeconds: 1 } };

  it("heartbeats every 0.3 s keep the request open past HeartbeatSeconds (1 s); then the approval goes through", async () => {
    project = await openProject(CONFIG);
    const run = project.engine.startExecution(project.engine.createStateMachine("approval-heartbeat", definition), short);
    const { taskToken } = await nextRequest();
    for (let i = 0; i < 5; i++) {
      await later(300);
      project.engine.sendTaskHeartbeat(taskToken);
    }
    project.engine.sendTaskSuccess(taskToken, { approved: true, approver: "carol@example.com" });
    const r = await project.engine.result(run);
    expect(r.status).toBe("SUCCEEDED");
    expect(statesEntered(r.history)).toEqual(["RequestApproval", "ApplyChange", "NotifyApproved"]);
    expect(r.history.find((e) => e.type === "TaskSucceeded")!.timestamp - r.history.find((e) => e.type === "TaskScheduled")!.timestamp).toBeGreaterThan(1000);
  });

  it("an approver who stops heartbeating: States.HeartbeatTimeout after HeartbeatSeconds, Escalate, FAILED ApprovalTimedOut", async () => {
    project = await openProject(CONFIG);
    const run = project.engine.startExecution(project.engine.createStateMachine("approval-silent", definition), short);
    const { taskToken } = await nextRequest();
    await later(300);
    project.engine.sendTaskHeartbeat(taskToken);
    const r = await project.engine.result(run);
    expect(r).toMatchObject({ status: "FAILED", error: "ApprovalTimedOut", cause: "No decision on request chg-7 in time (States.HeartbeatTimeout)" });
    expect(statesEntered(r.history)).toEqual(["RequestApproval", "Escalate", "NoDecision"]);
    const timedOut = r.history.find((e) => e.type === "TaskTimedOut");
    expect(timedOut?.["taskTimedOutEventDetails"]).toMatchObject({ error: "States.HeartbeatTimeout" });
    expect((await project.drain("requester-notifications"))).toEqual(["Request chg-7 got no decision (States.HeartbeatTimeout): escalated"]);
  });

  it("heartbeats but no decision: States.Timeout after TimeoutSeconds (2 s)", async () => {
    project = await openProject(CONFIG);
    const run = project.engine.startExecution(project.engine.createStateMachine("approval-undecided", definition), short);
    const { taskToken } = await nextRequest();
    const beating = setInterval(() => {
      try {
        project.engine.sendTaskHeartbeat(taskToken);
      } catch {
        // the task has closed
      }
    }, 300);
    const r = await project.engine.result(run).finally(() => clearInterval(beating));
    expect(r).toMatchObject({ status: "FAILED", error: "ApprovalTimedOut", cause: "No decision on request chg-7 in time (States.Timeout)" });
    expect(r.history.find((e) => e.type === "TaskTimedOut")?.["taskTimedOutEventDetails"]).toMatchObject({ error: "States.Timeout" });
  });

  it("with the README's deadlines (heartbeat 1 h, timeout 24 h) and nobody answering, virtual time reaches the heartbeat deadline at once", async () => {
    project = await openProject(CONFIG, { virtualTime: true });
    const started = Date.now();
    const r = await project.run(definition, input);
    expect(r).toMatchObject({ status: "FAILED", error: "ApprovalTimedOut" });
    const scheduled = r.history.find((e) => e.type === "TaskScheduled")!.timestamp;
    expect(r.history.find((e) => e.type === "TaskTimedOut")!.timestamp - scheduled).toBe(3_600_000);
    expect(Date.now() - started).toBeLessThan(3000);
    // The request did reach the approvers' queue.
    expect((await project.drain("approval-requests")).map((b) => (JSON.parse(b) as ApprovalRequest).requestId)).toEqual(["chg-7"]);
  });
});
