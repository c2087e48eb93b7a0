/**
 * Task resource ARNs: how a Task's history names them and which integration pattern they use.
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html
 */
export type IntegrationPattern = "request-response" | "sync" | "waitForTaskToken";

export interface ResourceInfo {
  readonly arn: string;
  /** `lambda-function` for bare Lambda ARNs (LambdaFunction* events), `activity`, else `service`. */
  readonly kind: "service" | "lambda-function" | "activity";
  /** History's resourceType, e.g. "lambda", "aws-sdk:dynamodb". */
  readonly resourceType: string;
  /** History's resource, e.g. "invoke", "putItem.waitForTaskToken". */
  readonly resource: string;
  readonly pattern: IntegrationPattern;
  readonly region: string | undefined;
}

const SERVICE = /^arn:[^:]+:states:::(.+)$/;

export function parseResource(arn: string): ResourceInfo {
  const pattern: IntegrationPattern = arn.endsWith(".waitForTaskToken")
    ? "waitForTaskToken"
    : /\.sync(:\d+)?$/.test(arn)
      ? "sync"
      : "request-response";
  const service = SERVICE.exec(arn);
  if (service) {
    // The pattern suffix (`.sync:2`) holds a colon of its own: split the rest, then put it back.
    const body = service[1] as string;
    const suffix = /(\.sync(:\d+)?|\.waitForTaskToken)$/.exec(body)?.[0] ?? "";
    const parts = body.slice(0, body.length - suffix.length).split(":");
    const resource = (parts.pop() as string) + suffix;
    return { arn, kind: "service", resourceType: parts.join(":"), resource, pattern, region: undefined };
  }
  const fields = arn.split(":");
  const region = fields[3] || undefined;
  if (fields[2] === "states" && fields[5] === "activity") {
    return { arn, kind: "activity", resourceType: "activity", resource: arn, pattern, region };
  }
  if (fields[2] === "lambda") {
    return { arn, kind: "lambda-function", resourceType: "lambda", resource: arn, pattern, region };
  }
  return { arn, kind: "service", resourceType: fields[2] ?? "unknown", resource: arn, pattern, region };
}
