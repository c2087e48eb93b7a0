/**
 * The shape of `aslan.config.*`, field by field (project-config.ts has the types). Adding a
 * field to a config type means adding one line here.
 */
import { NATS, TRIGGERS } from "./nats-schema.js";
import { array, boolean, childPath, number, object, oneOf, record, required, string, stringOr, tagged, type Check } from "./shape.js";

const text = string();
const name = string({ nonEmpty: true });
const strings = record(text);

/** Lambda's own limits: timeout 1–900 s, MemorySize up to 10240 MB (lower minimum here for tests and small functions). */
const FUNCTION = stringOr("the handler module", object({
  handler: required(name),
  timeoutSeconds: number({ min: 1, max: 900 }),
  memoryMb: number({ min: 32, max: 10240, integer: true }),
  environment: strings,
  concurrency: number({ min: 1, max: 1000, integer: true }),
}));

const SUBSCRIPTION = object({
  protocol: required(oneOf(["lambda", "sqs", "http", "https"])),
  endpoint: required(name),
  rawMessageDelivery: boolean,
});

const TOPIC = object({ subscriptions: array(SUBSCRIPTION), fifo: boolean });

const QUEUE = object({ fifo: boolean, visibilityTimeoutSeconds: number({ min: 0, max: 43_200, integer: true }) });

const KEY = object({ name: required(name), type: required(oneOf(["S", "N", "B"])) });

const TABLE = object({ partitionKey: required(KEY), sortKey: KEY });

const AUTHORIZATION = tagged("type", {
  API_KEY: object({ type: text, name: required(name), value: required(text) }),
  BASIC: object({ type: text, username: required(name), password: required(text) }),
  OAUTH_CLIENT_CREDENTIALS: object({ type: text, tokenUrl: required(name), clientId: required(name), clientSecret: required(text), scope: text }),
});

/**
 * S3's bucket naming rules (general purpose buckets): 3–63 characters of a–z, 0–9, `.` and `-`,
 * starting and ending with a letter or digit, no `..`, not an IP address. The S3 adapter checks
 * CreateBucket's names with the same rule.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
export const BUCKET_NAME = /^(?!\d{1,3}(\.\d{1,3}){3}$)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Secrets Manager's secret names: 1–512 of A–Z, a–z, 0–9 and `/_+=.@-!`. https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html */
export const SECRET_NAME = /^[A-Za-z0-9/_+=.@!-]{1,512}$/;

/** Names → configs (`record`), each name following `rule`. */
const named = (rule: RegExp, what: string, of: Check): Check => (v, path, problems) => {
  record(of)(v, path, problems);
  if (typeof v !== "object" || v === null || Array.isArray(v)) return;
  for (const key of Object.keys(v)) if (!rule.test(key)) problems.push(`${childPath(path, key)}: not a valid ${what}`);
};

const BUCKET = object({ objects: strings });

const SECRET = stringOr("the secret's value", object({ value: required(text), description: text }));

const CONNECTION = object({ authorization: required(AUTHORIZATION), headers: strings, queryParameters: strings });

const FORWARD = object({
  endpoint: name,
  region: name,
  credentials: object({ accessKeyId: required(name), secretAccessKey: required(name), sessionToken: text }),
});

export const PROJECT_CONFIG: Check = object({
  functions: record(FUNCTION),
  topics: record(TOPIC),
  queues: record(QUEUE),
  tables: record(TABLE),
  buckets: named(BUCKET_NAME, "bucket name (3-63 characters: a-z, 0-9, '.' and '-', starting and ending with a letter or digit)", BUCKET),
  secrets: named(SECRET_NAME, "secret name (1-512 characters: letters, digits and /_+=.@-!)", SECRET),
  connections: record(CONNECTION),
  nats: NATS,
  triggers: TRIGGERS,
  forward: object({ lambda: FORWARD, sns: FORWARD, sqs: FORWARD, dynamodb: FORWARD }),
});
