/**
 * The S3-like adapter: Task states with `arn:aws:states:::aws-sdk:s3:<action>` (and its
 * `.waitForTaskToken` form: the request runs, then the Task waits for its token) for the
 * actions below, with S3's request members (PascalCase) as Parameters/Arguments, results as the
 * AWS SDK integration returns them (PascalCase, dates in ISO 8601, GetObject's Body as text) and
 * errors as Step Functions names them (`S3.NoSuchBucketException`).
 * https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html
 */
import type { BucketConfig } from "../../runtime/config/project-config.js";
import { TaskError, type Adapter, type AdapterTask } from "../../runtime/ports/adapter.js";
import type { ResourceInfo } from "../../translators/dataflow/resource.js";
import { isObject, type Json } from "../../translators/json.js";
import type { ObjectStore } from "./object-store.js";
import { createBucket, deleteBucket, headBucket, listBuckets } from "./operations/buckets.js";
import { listObjects, listObjectsV2 } from "./operations/list-objects.js";
import { copyObject, deleteObject, getObject, headObject, putObject } from "./operations/objects.js";
import { ParameterError, type S3Context, type S3Operation } from "./operations/request.js";
import { sdkActionOf } from "../aws-sdk-members.js";
import { S3Error, s3TaskError } from "./s3-error.js";
import { seedBuckets } from "./seed.js";

/** Step Functions' action names (the SDK's, camelCase) → what runs them. */
const OPERATIONS = {
  createBucket,
  headBucket,
  deleteBucket,
  listBuckets,
  putObject,
  getObject,
  headObject,
  deleteObject,
  listObjects,
  listObjectsV2,
  copyObject,
} satisfies Record<string, S3Operation>;

type S3Action = keyof typeof OPERATIONS;

const actionOf = (resource: ResourceInfo): S3Action | undefined => sdkActionOf(resource, "s3", OPERATIONS);

export interface S3AdapterOptions {
  readonly store: ObjectStore;
  /** Buckets (and their objects) to create in the store first: the config's `buckets`. */
  readonly buckets?: Readonly<Record<string, BucketConfig>>;
  /** Epoch milliseconds; the engine's clock (virtual time included). Date.now otherwise. */
  readonly now?: () => number;
  /** The region answers speak for (HeadBucket's BucketRegion, CreateBucket's Location); us-east-1 otherwise. */
  readonly region?: string;
  /** The canonical user id that owns the buckets (ListBuckets' and ListObjects' Owner). */
  readonly ownerId?: string;
}

export class S3Adapter implements Adapter {
  readonly name = "s3";
  readonly resources = Object.keys(OPERATIONS).map((a) => `arn:aws:states:::aws-sdk:s3:${a}`);
  readonly store: ObjectStore;
  private readonly context: S3Context;
  /** Settles once the config's buckets are in the store; tasks wait for it. */
  private readonly ready: Promise<void>;

  constructor(options: S3AdapterOptions) {
    this.store = options.store;
    const now = options.now ?? (() => Date.now());
    this.context = { store: options.store, now, region: options.region ?? "us-east-1", ownerId: options.ownerId ?? "0".repeat(64) };
    this.ready = seedBuckets(options.store, options.buckets ?? {}, now());
    // A failure shows in every task (they await it), not as an unhandled rejection.
    this.ready.catch(() => undefined);
  }

  handles(resource: ResourceInfo): boolean {
    return actionOf(resource) !== undefined;
  }

  async run(task: AdapterTask): Promise<Json> {
    const action = actionOf(task.resource);
    if (!action) throw new TaskError("States.Runtime", `The S3 adapter does not run resource '${task.resource.arn}'`);
    await this.ready;
    try {
      return await OPERATIONS[action](isObject(task.payload) ? task.payload : {}, this.context);
    } catch (e) {
      if (e instanceof S3Error) throw s3TaskError(e);
      if (e instanceof ParameterError) throw new TaskError("States.TaskFailed", e.message);
      throw e;
    }
  }

  async close(): Promise<void> {
    // Seeding may still be writing: let it land (or fail) before the store closes.
    await this.ready.catch(() => undefined);
    await this.store.close?.();
  }
}
