/** SNS-like topics: the `sns:publish` adapter, its fan-out to subscribers, and forwarding. */
import type { Logger } from "pino";
import type { TaskFunctions } from "../../runtime/bus/task-functions.js";
import type { ProjectConfig } from "../../runtime/config/project-config.js";
import type { Account } from "../../runtime/engine/arns.js";
import type { Adapter } from "../../runtime/ports/adapter.js";
import { parseResource } from "../../translators/dataflow/resource.js";
import type { Json, JsonObject } from "../../translators/json.js";
import { queueStoreOf } from "../sqs/index.js";
import { SnsAdapter } from "./sns-adapter.js";
import { SdkSnsPublisher } from "./sns-forward.js";

export { SnsAdapter, type SnsAdapterOptions, type SnsPublisher } from "./sns-adapter.js";
export { SdkSnsPublisher, publishInput } from "./sns-forward.js";
export type { PublishRequest, PublishOutput, SnsAttribute } from "./publish-request.js";
export { lambdaEvent, notificationDocument, notificationText, type Notification } from "./notification.js";
export { Topics, topicArn, type Topic, type Subscription } from "./topics.js";

/** What the SNS factory uses of the composition root's AdapterDeps. */
export interface SnsAdapterDeps {
  readonly engine?: { readonly account: Account };
  readonly log?: Logger;
  /** In-process functions: `lambda` subscriptions call them when no "lambda" adapter runs functions. */
  readonly functions?: TaskFunctions;
  /** Other adapters by name: "sqs" for `sqs` subscriptions, "lambda" for `lambda` ones. */
  adapter?(name: string): Adapter | undefined;
}

const LAMBDA_INVOKE = parseResource("arn:aws:states:::lambda:invoke");

/**
 * The SNS adapter for a project: the config's `topics`, their `sqs` subscriptions delivered to
 * the "sqs" adapter's queues and `lambda` ones run by the "lambda" adapter (else the in-process
 * functions); or every Publish forwarded to `forward.sns`. Undefined when the config has neither.
 */
export function createSnsAdapter(config: ProjectConfig, deps: SnsAdapterDeps = {}): SnsAdapter | undefined {
  if (config.forward?.sns) return new SnsAdapter({ topics: {}, forward: new SdkSnsPublisher(config.forward.sns) });
  if (!config.topics || Object.keys(config.topics).length === 0) return undefined;
  const place = deps.engine?.account;
  return new SnsAdapter({
    topics: config.topics,
    ...(place ? { place } : {}),
    ...(deps.log ? { log: deps.log } : {}),
    queues: () => queueStoreOf(deps.adapter?.("sqs")),
    invokeFunction: (name, event) => invokeFunction(deps, name, event),
  });
}

/** A subscriber function called the way SNS calls it: with the event, its own result ignored. */
async function invokeFunction(deps: SnsAdapterDeps, name: string, event: JsonObject): Promise<unknown> {
  const lambda = deps.adapter?.("lambda");
  if (lambda) {
    return lambda.run({
      taskId: `sns-${name}-${Date.now()}`, resource: LAMBDA_INVOKE, payload: { FunctionName: name, Payload: event }, stateName: "", executionArn: "",
      signal: new AbortController().signal, heartbeat: () => undefined,
    });
  }
  const fn = deps.functions?.[name];
  if (!fn) throw new Error(`no function named '${name}'`);
  const region = deps.engine?.account.region ?? "us-east-1";
  const account = deps.engine?.account.accountId ?? "123456789012";
  return fn(event as Json, { resource: `arn:aws:lambda:${region}:${account}:function:${name}`, stateName: "", executionArn: "" });
}
