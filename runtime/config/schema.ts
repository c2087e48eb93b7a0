/**
 * The shape of `aslan.config.*`, field by field (project-config.ts has the types). Adding a
 * field to a config type means adding one line here.
 */
import { NATS, TRIGGERS } from "./nats-schema.js";
import type { KeyAttribute, TableConfig } from "./project-config.js";
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

/** DynamoDB's table and index names: 3–255 letters, digits, `_`, `-` and `.` (what a request's TableName and IndexName may hold). */
const DYNAMODB_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;

const indexName: Check = (v, path, problems) => {
  name(v, path, problems);
  if (typeof v === "string" && v.trim() !== "" && !DYNAMODB_NAME.test(v)) {
    problems.push(`${path}: expected an index name (3-255 characters: letters, digits, '_', '-' and '.'), found "${v}"`);
  }
};

/** At most 20 non-key attributes per index, as DynamoDB's NonKeyAttributes. */
const INCLUDED: Check = (v, path, problems) => {
  array(name)(v, path, problems);
  if (Array.isArray(v) && (v.length === 0 || v.length > 20)) problems.push(`${path}: expected 1 to 20 attribute names, found ${v.length}`);
};

/** `"ALL"`, `"KEYS_ONLY"` or `{ include: [names] }`. */
const PROJECTION: Check = (v, path, problems) => {
  if (typeof v === "object" && v !== null && !Array.isArray(v)) return object({ include: required(INCLUDED) })(v, path, problems);
  if (v !== "ALL" && v !== "KEYS_ONLY") problems.push(`${path}: expected "ALL", "KEYS_ONLY" or { include: [attribute names] }, found ${JSON.stringify(v) ?? String(v)}`);
};

const GLOBAL_INDEX = object({ name: required(indexName), partitionKey: required(KEY), sortKey: KEY, projection: PROJECTION });
const LOCAL_INDEX = object({ name: required(indexName), sortKey: required(KEY), projection: PROJECTION });

/** DynamoDB's hard limit of local secondary indexes per table. */
const MAX_LOCAL_INDEXES = 5;

/**
 * A table, then what holds across its fields (checked once each field has its shape): local
 * indexes need a table sort key, index names are unique in the table, and an attribute used
 * as a key in several places has one type (DynamoDB's AttributeDefinitions).
 */
const TABLE: Check = (v, path, problems) => {
  const before = problems.length;
  object({ partitionKey: required(KEY), sortKey: KEY, globalSecondaryIndexes: array(GLOBAL_INDEX), localSecondaryIndexes: array(LOCAL_INDEX) })(v, path, problems);
  if (problems.length > before) return;
  const table = v as TableConfig;
  const locals = table.localSecondaryIndexes ?? [];
  const at = (field: string): string => childPath(path, field);
  if (locals.length > 0 && !table.sortKey) problems.push(`${at("localSecondaryIndexes")}: a local secondary index needs a table with a sort key (${at("sortKey")})`);
  if (locals.length > MAX_LOCAL_INDEXES) problems.push(`${at("localSecondaryIndexes")}: at most ${MAX_LOCAL_INDEXES} local secondary indexes per table, found ${locals.length}`);
  const indexes = [
    ...(table.globalSecondaryIndexes ?? []).map((index, i) => ({ index, path: childPath(at("globalSecondaryIndexes"), i) })),
    ...locals.map((index, i) => ({ index, path: childPath(at("localSecondaryIndexes"), i) })),
  ];
  const names = new Map<string, string>();
  const keys = new Map<string, { type: string; path: string }>();
  const key = (k: KeyAttribute | undefined, keyPath: string): void => {
    const seen = k && keys.get(k.name);
    if (k && seen && seen.type !== k.type) problems.push(`${keyPath}.type: "${k.name}" is "${seen.type}" at ${seen.path}, found "${k.type}"`);
    else if (k && !seen) keys.set(k.name, { type: k.type, path: keyPath });
  };
  key(table.partitionKey, at("partitionKey"));
  key(table.sortKey, at("sortKey"));
  for (const { index, path: indexPath } of indexes) {
    const first = names.get(index.name);
    if (first) problems.push(`${indexPath}.name: "${index.name}" is already the name of ${first}`);
    else names.set(index.name, indexPath);
    if ("partitionKey" in index) key(index.partitionKey, `${indexPath}.partitionKey`);
    key(index.sortKey, `${indexPath}.sortKey`);
  }
};

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
  tables: named(DYNAMODB_NAME, "table name (3-255 characters: letters, digits, '_', '-' and '.')", TABLE),
  buckets: named(BUCKET_NAME, "bucket name (3-63 characters: a-z, 0-9, '.' and '-', starting and ending with a letter or digit)", BUCKET),
  secrets: named(SECRET_NAME, "secret name (1-512 characters: letters, digits and /_+=.@-!)", SECRET),
  connections: record(CONNECTION),
  nats: NATS,
  triggers: TRIGGERS,
  forward: object({ lambda: FORWARD, sns: FORWARD, sqs: FORWARD, dynamodb: FORWARD }),
});
