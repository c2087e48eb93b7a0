/**
 * Queue URLs. AWS's form is `https://sqs.<region>.amazonaws.com/<account>/<name>` (also the
 * legacy `https://<region>.queue.amazonaws.com/<account>/<name>`). Locally any http(s) URL whose
 * path is `/<account>/<name>` names the queue `<name>` (LocalStack's and ElasticMQ's
 * `http://localhost:4566/000000000000/orders` included), and so do a queue ARN
 * (`arn:aws:sqs:<region>:<account>:<name>`) and a bare queue name. The account and region are
 * not checked: one local project has one set of queues.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-queue-message-identifiers.html
 */

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}(\.fifo)?$/;
const PATH = /^\/([^/]+)\/([^/]+)\/?$/;

/** The queue a QueueUrl (or queue ARN, or name) names; undefined when it names none. */
export function queueNameOf(urlOrName: string): string | undefined {
  if (QUEUE_NAME.test(urlOrName)) return urlOrName;
  if (urlOrName.startsWith("arn:")) {
    const fields = urlOrName.split(":");
    return fields[2] === "sqs" && fields.length === 6 && QUEUE_NAME.test(fields[5] ?? "") ? fields[5] : undefined;
  }
  let url: URL;
  try {
    url = new URL(urlOrName);
  } catch {
    return undefined;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return undefined;
  const name = PATH.exec(url.pathname)?.[2];
  return name !== undefined && QUEUE_NAME.test(name) ? name : undefined;
}

/** AWS's URL for a queue. */
export const queueUrl = (region: string, accountId: string, name: string): string =>
  `https://sqs.${region}.amazonaws.com/${accountId}/${name}`;

export const queueArn = (region: string, accountId: string, name: string): string => `arn:aws:sqs:${region}:${accountId}:${name}`;
