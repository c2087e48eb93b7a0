/**
 * S3 Task states (`arn:aws:states:::aws-sdk:s3:*`) through the engine (virtual time): result
 * shapes as the AWS SDK integration returns them (GetObject's Body as text, PutObject's ETag of
 * the JSON text Step Functions sends), buckets from the config and created at run time,
 * listings with prefixes, delimiters and pages, and errors as Step Functions names them.
 */
import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { createEngine, type Engine, type ExecutionResult } from "../../index.js";
import { checkProjectConfig, ConfigError } from "../../runtime/config/load-config.js";
import type { ProjectConfig } from "../../runtime/config/project-config.js";
import { parseResource } from "../../translators/dataflow/resource.js";
import type { Json, JsonObject } from "../../translators/json.js";
import type { AdapterFactory } from "../factory.js";
import { createS3Adapter } from "./index.js";

const S3 = "arn:aws:states:::aws-sdk:s3:";
const REQUEST_IDS = String.raw`Request ID: [0-9A-F]{16}, Extended Request ID: [A-Za-z0-9+/]{76}\)$`;

const engines: Engine[] = [];
afterEach(() => {
  for (const e of engines.splice(0)) e.close();
});

function setup(config: ProjectConfig = { buckets: {} }, deps: Parameters<typeof createS3Adapter>[1] = {}): Engine {
  const adapter = createS3Adapter(config, deps);
  if (!adapter) throw new Error("no adapter");
  const engine = createEngine({ adapters: [adapter], virtualTime: true });
  engines.push(engine);
  return engine;
}

let counter = 0;
async function run(engine: Engine, definition: object, input: Json = {}): Promise<ExecutionResult> {
  return engine.result(engine.startExecution(engine.createStateMachine(`s3-${++counter}`, definition), input));
}

const task = (action: string, parameters: object, extra: object = {}): object => ({ Type: "Task", Resource: `${S3}${action}`, Parameters: parameters, ...extra });
const single = (state: object): object => ({ StartAt: "S", States: { S: { ...state, End: true } } });
/** States run in order, each result kept at `$.<name>`. */
const steps = (...states: [string, object][]): object => ({
  StartAt: (states[0] as [string, object])[0],
  States: Object.fromEntries(states.map(([name, s], i) => [name, { ...s, ResultPath: `$.${name}`, ...(i + 1 < states.length ? { Next: (states[i + 1] as [string, object])[0] } : { End: true }) }])),
});
const md5 = (text: string): string => `"${createHash("md5").update(text).digest("hex")}"`;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

describe("createS3Adapter", () => {
  it("is an AdapterFactory that builds nothing without a buckets section, and an empty S3 with `buckets: {}`", () => {
    const factory: AdapterFactory = createS3Adapter;
    expect(factory).toBeTypeOf("function");
    expect(createS3Adapter({})).toBeUndefined();
    expect(createS3Adapter({ buckets: {} })?.name).toBe("s3");
  });

  it("runs the aws-sdk:s3 actions it lists (and their .waitForTaskToken form), no others", () => {
    const adapter = createS3Adapter({ buckets: {} });
    const handles = (arn: string): boolean | undefined => adapter?.handles(parseResource(arn));
    expect(adapter?.resources).toHaveLength(11);
    for (const arn of adapter?.resources ?? []) expect(handles(arn)).toBe(true);
    expect(handles(`${S3}getObject.waitForTaskToken`)).toBe(true);
    expect(handles(`${S3}getObject.sync`)).toBe(false);
    expect(handles(`${S3}getBucketPolicy`)).toBe(false);
    expect(handles("arn:aws:states:::s3:getObject")).toBe(false);
    expect(handles("arn:aws:states:::aws-sdk:secretsmanager:listSecrets")).toBe(false);
  });

  it("refuses, when a definition is loaded, an S3 action it does not run", () => {
    const engine = setup();
    expect(() => engine.createStateMachine("unknown-action", single(task("getBucketPolicy", { Bucket: "b" })))).toThrow(/is not recognized/);
  });

  it("checks the config's buckets section: S3's naming rules, objects as text", () => {
    expect(checkProjectConfig({ buckets: { "my-bucket.logs": { objects: { "a/b.json": "{}" } }, other: {} } }, "/")).toBeDefined();
    let problems: readonly string[] = [];
    try {
      checkProjectConfig({ buckets: { My_Bucket: {}, ab: {}, "192.168.1.1": {}, ok1: { objects: { k: 1 } }, ok2: [] } }, "/");
    } catch (e) {
      problems = (e as ConfigError).problems;
    }
    expect(problems).toEqual([
      "buckets.ok1.objects.k: expected a string, found 1",
      "buckets.ok2: expected an object, found an array",
      "buckets.My_Bucket: not a valid bucket name (3-63 characters: a-z, 0-9, '.' and '-', starting and ending with a letter or digit)",
      "buckets.ab: not a valid bucket name (3-63 characters: a-z, 0-9, '.' and '-', starting and ending with a letter or digit)",
      'buckets["192.168.1.1"]: not a valid bucket name (3-63 characters: a-z, 0-9, \'.\' and \'-\', starting and ending with a letter or digit)',
    ]);
  });
});

describe("objects", () => {
  it("creates a bucket, puts objects (Body sent as JSON text), gets, heads, copies and deletes them", async () => {
    const engine = setup();
    const r = await run(
      engine,
      steps(
        ["create", task("createBucket", { Bucket: "orders" })],
        ["putText", task("putObject", { Bucket: "orders", Key: "note.txt", Body: "text data", ContentType: "text/plain", Metadata: { Owner: "ops" } })],
        ["putJson", task("putObject", { Bucket: "orders", Key: "o/1.json", "Body.$": "$.order" })],
        ["get", task("getObject", { Bucket: "orders", Key: "note.txt" })],
        ["getJson", task("getObject", { Bucket: "orders", Key: "o/1.json" })],
        ["head", task("headObject", { Bucket: "orders", Key: "o/1.json" })],
        ["copy", task("copyObject", { Bucket: "orders", Key: "o/2.json", CopySource: "orders/o/1.json" })],
        ["delete", task("deleteObject", { Bucket: "orders", Key: "note.txt" })],
        ["list", task("listObjectsV2", { Bucket: "orders" })],
      ),
      { order: { id: 1, items: ["a"] } },
    );
    expect(r.status).toBe("SUCCEEDED");
    const out = r.output as JsonObject;
    expect(out["create"]).toEqual({ Location: "/orders" });
    // As recorded on AWS: a string Body is stored with its quotes, an object as compact JSON.
    expect(out["putText"]).toEqual({ ETag: md5('"text data"'), ServerSideEncryption: "AES256" });
    expect(out["putJson"]).toEqual({ ETag: md5('{"id":1,"items":["a"]}'), ServerSideEncryption: "AES256" });
    const get = out["get"] as JsonObject;
    expect(get).toEqual({
      AcceptRanges: "bytes",
      ContentLength: 11,
      ContentType: "text/plain",
      ETag: md5('"text data"'),
      LastModified: expect.stringMatching(ISO) as unknown,
      Metadata: { owner: "ops" },
      ServerSideEncryption: "AES256",
      Body: '"text data"',
    });
    expect(Object.keys(get).at(-1)).toBe("Body");
    expect((out["getJson"] as JsonObject)["Body"]).toBe('{"id":1,"items":["a"]}');
    expect((out["getJson"] as JsonObject)["ContentType"]).toBe("binary/octet-stream");
    const { Body: _body, ...headOfGet } = out["getJson"] as JsonObject;
    expect(out["head"]).toEqual(headOfGet);
    expect(out["copy"]).toEqual({ CopyObjectResult: { ETag: md5('{"id":1,"items":["a"]}'), LastModified: expect.stringMatching(ISO) as unknown }, ServerSideEncryption: "AES256" });
    expect(out["delete"]).toEqual({});
    expect(((out["list"] as JsonObject)["Contents"] as JsonObject[]).map((c) => c["Key"])).toEqual(["o/1.json", "o/2.json"]);
    const scheduled = r.history.find((e) => e.type === "TaskScheduled") as unknown as { taskScheduledEventDetails: JsonObject };
    expect(scheduled.taskScheduledEventDetails).toMatchObject({ resourceType: "aws-sdk:s3", resource: "createBucket" });
  });

  it("serves the config's buckets and objects, dated by the engine's clock, in the engine's region", async () => {
    const at = Date.UTC(2024, 4, 23, 19, 11, 31, 456);
    const engine = setup(
      { buckets: { "config-bucket": { objects: { "seed.txt": "hello" } }, "a-bucket": {} } },
      { engine: { clock: { now: () => at }, account: { partition: "aws", region: "eu-west-1", accountId: "111122223333" } } },
    );
    const r = await run(engine, steps(
      ["buckets", task("listBuckets", {})],
      ["get", task("getObject", { Bucket: "config-bucket", Key: "seed.txt" })],
      ["head", task("headBucket", { Bucket: "a-bucket" })],
      ["create", task("createBucket", { Bucket: "new-bucket" })],
    ));
    expect(r.status).toBe("SUCCEEDED");
    const out = r.output as JsonObject;
    const buckets = out["buckets"] as JsonObject;
    expect(buckets["Buckets"]).toEqual([
      { CreationDate: "2024-05-23T19:11:31Z", Name: "a-bucket" },
      { CreationDate: "2024-05-23T19:11:31Z", Name: "config-bucket" },
    ]);
    expect((buckets["Owner"] as JsonObject)["ID"]).toMatch(/^[0-9a-f]{64}$/);
    expect(out["get"]).toMatchObject({ Body: "hello", ContentLength: 5, ETag: md5("hello"), LastModified: "2024-05-23T19:11:31Z" });
    expect(out["head"]).toEqual({ AccessPointAlias: false, BucketRegion: "eu-west-1" });
    expect(out["create"]).toEqual({ Location: "http://new-bucket.s3.amazonaws.com/" });
  });

  it("takes JSONata Arguments, and replaces metadata on a copy with MetadataDirective REPLACE", async () => {
    const engine = setup({ buckets: { docs: { objects: { a: "x" } } } });
    const r = await run(engine, {
      QueryLanguage: "JSONata",
      StartAt: "Copy",
      States: {
        Copy: {
          Type: "Task",
          Resource: `${S3}copyObject`,
          Arguments: { Bucket: "docs", Key: "{% $states.input.key %}", CopySource: "docs/a", MetadataDirective: "REPLACE", ContentType: "text/csv", Metadata: { v: "2" } },
          Assign: { key: "{% $states.input.key %}" },
          Next: "Head",
        },
        Head: { Type: "Task", Resource: `${S3}headObject`, Arguments: { Bucket: "docs", Key: "{% $key %}" }, End: true },
      },
    }, { key: "b" });
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toMatchObject({ ContentType: "text/csv", Metadata: { v: "2" }, ContentLength: 1 });
  });
});

describe("listings", () => {
  const keys = ["photos/2024/a.jpg", "photos/2024/b.jpg", "photos/2025/c.jpg", "photos/index.html", "readme.txt", "videos/v.mp4"];
  const config: ProjectConfig = { buckets: { media: { objects: Object.fromEntries(keys.map((k) => [k, k])) } } };

  it("ListObjectsV2 rolls keys up to the delimiter into CommonPrefixes and pages with continuation tokens", async () => {
    const engine = setup(config);
    const r = await run(engine, steps(
      ["first", task("listObjectsV2", { Bucket: "media", Prefix: "photos/", Delimiter: "/", MaxKeys: 2 })],
      ["second", task("listObjectsV2", { Bucket: "media", Prefix: "photos/", Delimiter: "/", MaxKeys: 2, "ContinuationToken.$": "$.first.NextContinuationToken" })],
      ["top", task("listObjectsV2", { Bucket: "media", Delimiter: "/" })],
    ));
    expect(r.status).toBe("SUCCEEDED");
    const out = r.output as JsonObject;
    expect(out["first"]).toEqual({
      CommonPrefixes: [{ Prefix: "photos/2024/" }, { Prefix: "photos/2025/" }],
      Delimiter: "/",
      IsTruncated: true,
      KeyCount: 2,
      MaxKeys: 2,
      Name: "media",
      NextContinuationToken: expect.any(String) as unknown,
      Prefix: "photos/",
    });
    const second = out["second"] as JsonObject;
    expect(second).toMatchObject({ IsTruncated: false, KeyCount: 1, ContinuationToken: (out["first"] as JsonObject)["NextContinuationToken"] });
    expect(second["Contents"]).toEqual([{ ETag: md5("photos/index.html"), Key: "photos/index.html", LastModified: expect.stringMatching(ISO) as unknown, Size: 17, StorageClass: "STANDARD" }]);
    expect(second["CommonPrefixes"]).toBeUndefined();
    const top = out["top"] as JsonObject;
    expect(top["CommonPrefixes"]).toEqual([{ Prefix: "photos/" }, { Prefix: "videos/" }]);
    expect((top["Contents"] as JsonObject[]).map((c) => c["Key"])).toEqual(["readme.txt"]);
  });

  it("ListObjects (V1) pages with Marker/NextMarker and gives each object's Owner", async () => {
    const engine = setup(config);
    const r = await run(engine, steps(
      ["first", task("listObjects", { Bucket: "media", Delimiter: "/", MaxKeys: 1 })],
      ["next", task("listObjects", { Bucket: "media", Delimiter: "/", "Marker.$": "$.first.NextMarker" })],
      ["all", task("listObjects", { Bucket: "media", Prefix: "photos/2024/", MaxKeys: 1 })],
    ));
    const out = r.output as JsonObject;
    expect(out["first"]).toEqual({ CommonPrefixes: [{ Prefix: "photos/" }], Delimiter: "/", IsTruncated: true, Marker: "", MaxKeys: 1, Name: "media", NextMarker: "photos/", Prefix: "" });
    expect(out["next"]).toMatchObject({ CommonPrefixes: [{ Prefix: "videos/" }], IsTruncated: false, Marker: "photos/", MaxKeys: 1000 });
    expect(((out["next"] as JsonObject)["Contents"] as JsonObject[])[0]).toMatchObject({ Key: "readme.txt", Owner: { ID: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown } });
    // Without a delimiter S3 gives no NextMarker: the last key is the next marker.
    expect(out["all"]).toMatchObject({ IsTruncated: true, Prefix: "photos/2024/" });
    expect((out["all"] as JsonObject)["NextMarker"]).toBeUndefined();
  });
});

describe("errors", () => {
  const catchAll = { Catch: [{ ErrorEquals: ["States.TaskFailed"], ResultPath: "$.error", Next: "Handled" }] };
  const caught = async (engine: Engine, state: object): Promise<JsonObject> => {
    const r = await run(engine, { StartAt: "S", States: { S: { ...state, ...catchAll, End: true }, Handled: { Type: "Pass", End: true } } });
    expect(r.status).toBe("SUCCEEDED");
    return (r.output as JsonObject)["error"] as JsonObject;
  };

  it("a bucket that does not exist is S3.NoSuchBucketException (the recorded AWS case), caught as States.TaskFailed", async () => {
    const engine = setup();
    const error = await caught(engine, task("listObjects", { Bucket: "someNonexistentBucketName" }));
    expect(error["Error"]).toBe("S3.NoSuchBucketException");
    expect(error["Cause"]).toMatch(new RegExp(`^The specified bucket does not exist \\(Service: S3, Status Code: 404, ${REQUEST_IDS}`));
  });

  it("a key that does not exist is S3.NoSuchKeyException; HEAD errors carry no message", async () => {
    const engine = setup({ buckets: { b1b: {} } });
    const get = await caught(engine, task("getObject", { Bucket: "b1b", Key: "nope" }));
    expect(get["Error"]).toBe("S3.NoSuchKeyException");
    expect(get["Cause"]).toMatch(new RegExp(`^The specified key does not exist\\. \\(Service: S3, Status Code: 404, ${REQUEST_IDS}`));
    const head = await caught(engine, task("headObject", { Bucket: "b1b", Key: "nope" }));
    expect(head["Error"]).toBe("S3.NoSuchKeyException");
    expect(head["Cause"]).toMatch(/^null \(Service: S3, Status Code: 404, /);
    const headBucket = await caught(engine, task("headBucket", { Bucket: "nope-bucket" }));
    expect(headBucket).toMatchObject({ Error: "S3.NoSuchBucketException", Cause: expect.stringMatching(/^null \(/) as unknown });
  });

  it("errors S3's API does not model are S3.S3Exception, and Retry/Catch match their names", async () => {
    const engine = setup({ buckets: { full: { objects: { k: "v" } } } });
    const notEmpty = await caught(engine, task("deleteBucket", { Bucket: "full" }));
    expect(notEmpty["Error"]).toBe("S3.S3Exception");
    expect(notEmpty["Cause"]).toMatch(/^The bucket you tried to delete is not empty \(Service: S3, Status Code: 409, /);
    const invalid = await caught(engine, task("createBucket", { Bucket: "Bad_Name" }));
    expect(invalid["Cause"]).toMatch(/^The specified bucket is not valid\. \(Service: S3, Status Code: 400, /);
    // S3 keys are at most 1024 bytes of UTF-8: é takes two.
    const tooLong = await caught(engine, task("putObject", { Bucket: "full", Key: "é".repeat(513), Body: "x" }));
    expect([tooLong["Error"], tooLong["Cause"]]).toEqual(["S3.S3Exception", expect.stringMatching(/^Your key is too long \(Service: S3, Status Code: 400, /)]);
    expect((await run(engine, single(task("putObject", { Bucket: "full", Key: "é".repeat(512), Body: "x" })))).status).toBe("SUCCEEDED");
    const r = await run(engine, {
      StartAt: "Get",
      States: {
        Get: { ...task("getObject", { Bucket: "full", Key: "missing" }), Retry: [{ ErrorEquals: ["S3.NoSuchKeyException"], IntervalSeconds: 60, MaxAttempts: 2 }], Catch: [{ ErrorEquals: ["S3.NoSuchKeyException"], Next: "Missing" }], End: true },
        Missing: { Type: "Succeed" },
      },
    });
    expect(r.status).toBe("SUCCEEDED");
    expect(r.history.filter((e) => e.type === "TaskFailed")).toHaveLength(3);
  });

  it("re-creating a bucket you own succeeds in us-east-1 and is S3.BucketAlreadyOwnedByYouException elsewhere", async () => {
    const east = setup({ buckets: { mine: {} } });
    expect((await run(east, single(task("createBucket", { Bucket: "mine" })))).output).toEqual({ Location: "/mine" });
    const west = setup({ buckets: { mine: {} } }, { engine: { clock: { now: () => Date.now() }, account: { partition: "aws", region: "us-west-2", accountId: "123456789012" } } });
    const r = await run(west, single(task("createBucket", { Bucket: "mine" })));
    expect(r.error).toBe("S3.BucketAlreadyOwnedByYouException");
    expect(r.cause).toMatch(/^Your previous request to create the named bucket succeeded and you already own it\. \(Service: S3, Status Code: 409, /);
  });

  it("a request the SDK cannot send (a missing or mistyped member) fails with States.TaskFailed", async () => {
    const engine = setup({ buckets: { b1b: {} } });
    const missing = await run(engine, single(task("getObject", { Key: "k" })));
    expect([missing.error, missing.cause]).toEqual(["States.TaskFailed", "Parameter 'Bucket' must not be null"]);
    const mistyped = await run(engine, single(task("listObjectsV2", { Bucket: "b1b", MaxKeys: "ten" })));
    expect([mistyped.error, mistyped.cause]).toEqual(["States.TaskFailed", 'Parameter \'MaxKeys\' must be an integer, got "ten"']);
  });
});
