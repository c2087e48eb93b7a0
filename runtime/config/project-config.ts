/**
 * The project configuration file, `aslan.config.mjs` (or `.js`, `.json`): what Task states
 * can reach. Each adapter reads its own section; the loader checks the shape and reports
 * problems with their path (e.g. `functions.Charge.handler: expected a string`).
 */

/** A Lambda-like function: a JS/TS module exporting `handler(event, context)`. */
export interface FunctionConfig {
  /** Module path, relative to the config file; `#name` picks an export other than `handler`. */
  readonly handler: string;
  /** Per-invoke timeout (Lambda's default is 3 s). */
  readonly timeoutSeconds?: number;
  /** Worker heap limit for this function, in MB (Lambda's MemorySize). */
  readonly memoryMb?: number;
  readonly environment?: Readonly<Record<string, string>>;
  /** Most invocations running at once (worker threads); more wait their turn. */
  readonly concurrency?: number;
}

export interface SubscriptionConfig {
  /** `lambda` (a function name), `sqs` (a queue name) or `http`/`https` (a URL). */
  readonly protocol: "lambda" | "sqs" | "http" | "https";
  readonly endpoint: string;
  /** SNS raw message delivery (sqs/http): the bare message instead of the JSON envelope. */
  readonly rawMessageDelivery?: boolean;
}

export interface TopicConfig {
  readonly subscriptions?: readonly SubscriptionConfig[];
  readonly fifo?: boolean;
}

export interface QueueConfig {
  readonly fifo?: boolean;
  readonly visibilityTimeoutSeconds?: number;
}

export interface KeyAttribute {
  readonly name: string;
  readonly type: "S" | "N" | "B";
}

/**
 * The attributes a secondary index holds besides the table's and the index's keys: every
 * attribute (`ALL`, the default), none (`KEYS_ONLY`), or the ones listed (DynamoDB's INCLUDE).
 */
export type IndexProjection = "ALL" | "KEYS_ONLY" | { readonly include: readonly string[] };

/** A global secondary index: its own partition key (and sort key) over the table's items. */
export interface GlobalSecondaryIndexConfig {
  readonly name: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly projection?: IndexProjection;
}

/** A local secondary index: the table's partition key with another sort key (tables with a sort key only). */
export interface LocalSecondaryIndexConfig {
  readonly name: string;
  readonly sortKey: KeyAttribute;
  readonly projection?: IndexProjection;
}

export interface TableConfig {
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly globalSecondaryIndexes?: readonly GlobalSecondaryIndexConfig[];
  readonly localSecondaryIndexes?: readonly LocalSecondaryIndexConfig[];
}

/** An S3-like bucket (`aws-sdk:s3:*`), optionally holding objects from the start. */
export interface BucketConfig {
  /** Objects it holds from the start: key → content (text, stored as is). */
  readonly objects?: Readonly<Record<string, string>>;
}

/** A Secrets Manager-like secret (`aws-sdk:secretsmanager:*`): its SecretString, or that and a description. */
export type SecretConfig = string | { readonly value: string; readonly description?: string };

/** EventBridge-style connection for HTTP Tasks (`Authentication.ConnectionArn`). */
export interface ConnectionConfig {
  readonly authorization:
    | { readonly type: "API_KEY"; readonly name: string; readonly value: string }
    | { readonly type: "BASIC"; readonly username: string; readonly password: string }
    | { readonly type: "OAUTH_CLIENT_CREDENTIALS"; readonly tokenUrl: string; readonly clientId: string; readonly clientSecret: string; readonly scope?: string };
  readonly headers?: Readonly<Record<string, string>>;
  readonly queryParameters?: Readonly<Record<string, string>>;
}

/** A real AWS (or AWS-compatible) endpoint to forward a service's tasks to instead of the local one. */
export interface ForwardConfig {
  readonly endpoint?: string;
  readonly region?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
}

/** A NATS server for `nats:request`/`nats:publish` Tasks and subject triggers. */
export interface NatsConfig {
  /** e.g. `nats://127.0.0.1:4222` (comma-separated for several). */
  readonly servers: string;
}

/** Starts an execution for each message on a subject (`aslan serve`). */
export interface TriggerConfig {
  /** The subject to listen on; `*` and `>` wildcards allowed. */
  readonly subject: string;
  /** A state machine name (in the server's region and account) or a state machine, version or alias ARN; looked up per message. */
  readonly stateMachine: string;
  /** NATS queue group: among the servers listening, one starts each execution ("aslan" unless given). */
  readonly queue?: string;
}

export interface ProjectConfig {
  readonly functions?: Readonly<Record<string, FunctionConfig | string>>;
  readonly topics?: Readonly<Record<string, TopicConfig>>;
  readonly queues?: Readonly<Record<string, QueueConfig>>;
  /** DynamoDB-like tables; `{}` runs a DynamoDB with no tables (requests on a table fail as on AWS). */
  readonly tables?: Readonly<Record<string, TableConfig>>;
  /** S3-like buckets; `{}` runs an S3 with no buckets (CreateBucket makes them at run time). */
  readonly buckets?: Readonly<Record<string, BucketConfig>>;
  /** Secrets Manager-like secrets by name; `{}` runs one with no secrets (CreateSecret makes them). */
  readonly secrets?: Readonly<Record<string, SecretConfig>>;
  readonly connections?: Readonly<Record<string, ConnectionConfig>>;
  readonly nats?: NatsConfig;
  readonly triggers?: readonly TriggerConfig[];
  readonly forward?: {
    readonly lambda?: ForwardConfig;
    readonly sns?: ForwardConfig;
    readonly sqs?: ForwardConfig;
    readonly dynamodb?: ForwardConfig;
  };
}
