/**
 * Secrets Manager Task states (`arn:aws:states:::aws-sdk:secretsmanager:*`) through the engine
 * (virtual time): the recorded AWS cases (an empty ListSecrets, an invalid name), a secret's
 * versions and staging labels, scheduled and forced deletion on the engine's clock, ListSecrets'
 * filters and pages, the config's secrets, and errors as Step Functions names them.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createEngine, type Engine, type ExecutionResult } from "../../index.js";
import { checkProjectConfig, ConfigError } from "../../runtime/config/load-config.js";
import type { ProjectConfig } from "../../runtime/config/project-config.js";
import type { Account } from "../../runtime/engine/arns.js";
import { parseResource } from "../../translators/dataflow/resource.js";
import type { Json, JsonObject } from "../../translators/json.js";
import type { AdapterFactory } from "../factory.js";
import { createSecretsManagerAdapter } from "./index.js";

const SM = "arn:aws:states:::aws-sdk:secretsmanager:";
const ACCOUNT: Account = { partition: "aws", region: "eu-central-1", accountId: "111122223333" };
const START = Date.UTC(2024, 0, 15, 10, 30, 0, 250);
const DAY = 86_400_000;
const CAUSE = (message: string): RegExp =>
  new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\(Service: SecretsManager, Status Code: 400, Request ID: [0-9a-f-]{36}\\)$`);

const engines: Engine[] = [];
afterEach(() => {
  for (const e of engines.splice(0)) e.close();
});

/** An engine whose adapter reads the engine's own (virtual) clock, starting at START. */
function setup(config: ProjectConfig = { secrets: {} }): Engine {
  // The adapter is built before the engine (createEngine takes it), so it reads the clock through this.
  const built: { engine?: Engine } = {};
  const adapter = createSecretsManagerAdapter(config, { engine: { clock: { now: () => built.engine?.clock.now() ?? START }, account: ACCOUNT } });
  if (!adapter) throw new Error("no adapter");
  const engine = createEngine({ adapters: [adapter], virtualTime: true, clock: { now: () => START }, account: ACCOUNT });
  built.engine = engine;
  engines.push(engine);
  return engine;
}

let counter = 0;
async function run(engine: Engine, definition: object, input: Json = {}): Promise<ExecutionResult> {
  return engine.result(engine.startExecution(engine.createStateMachine(`sm-${++counter}`, definition), input));
}

const task = (action: string, parameters: object, extra: object = {}): object => ({ Type: "Task", Resource: `${SM}${action}`, Parameters: parameters, ...extra });
const single = (state: object): object => ({ StartAt: "S", States: { S: { ...state, End: true } } });
/** States run in order, each result kept at `$.<name>`. */
const steps = (...states: [string, object][]): object => ({
  StartAt: (states[0] as [string, object])[0],
  States: Object.fromEntries(states.map(([name, s], i) => [name, { ...s, ResultPath: `$.${name}`, ...(i + 1 < states.length ? { Next: (states[i + 1] as [string, object])[0] } : { End: true }) }])),
});
const ARN = (name: string): RegExp => new RegExp(`^arn:aws:secretsmanager:eu-central-1:111122223333:secret:${name}-[A-Za-z0-9]{6}$`);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("createSecretsManagerAdapter", () => {
  it("is an AdapterFactory that builds nothing without a secrets section, and an empty one with `secrets: {}`", () => {
    const factory: AdapterFactory = createSecretsManagerAdapter;
    expect(factory).toBeTypeOf("function");
    expect(createSecretsManagerAdapter({})).toBeUndefined();
    const adapter = createSecretsManagerAdapter({ secrets: {} });
    expect(adapter?.name).toBe("secretsmanager");
    const handles = (arn: string): boolean | undefined => adapter?.handles(parseResource(arn));
    expect(adapter?.resources).toHaveLength(7);
    for (const arn of adapter?.resources ?? []) expect(handles(arn)).toBe(true);
    expect(handles(`${SM}getSecretValue.waitForTaskToken`)).toBe(true);
    expect(handles(`${SM}rotateSecret`)).toBe(false);
    expect(handles(`${SM}getSecretValue.sync`)).toBe(false);
  });

  it("checks the config's secrets section: Secrets Manager's naming rule, a value or { value, description }", () => {
    expect(checkProjectConfig({ secrets: { "db/password": "pw", "api-key@prod": { value: "k", description: "d" } } }, "/")).toBeDefined();
    let problems: readonly string[] = [];
    try {
      checkProjectConfig({ secrets: { "has space": "x", ok: { description: "no value" }, n: 5 } }, "/");
    } catch (e) {
      problems = (e as ConfigError).problems;
    }
    expect(problems).toEqual([
      "ok.value: required".replace(/^/, "secrets."),
      "secrets.n: expected a string (the secret's value) or an object, found 5",
      'secrets["has space"]: not a valid secret name (1-512 characters: letters, digits and /_+=.@-!)',
    ]);
  });
});

describe("the recorded AWS cases", () => {
  it("ListSecrets on an account with no secrets is { SecretList: [] }", async () => {
    const engine = setup();
    const r = await run(engine, single(task("listSecrets", {})));
    expect(r.output).toEqual({ SecretList: [] });
  });

  it("an invalid name is SecretsManager.SecretsManagerException with AWS's message, caught as States.TaskFailed", async () => {
    const engine = setup();
    const r = await run(engine, {
      StartAt: "Create",
      States: {
        Create: { ...task("createSecret", { "Name.$": "$.Name", "SecretString.$": "$.SecretString" }), Catch: [{ ErrorEquals: ["States.TaskFailed"], ResultPath: "$.error", Next: "Handled" }], End: true },
        Handled: { Type: "Pass", End: true },
      },
    }, { Name: "Invalid Name", SecretString: "HelloWorld" });
    const error = (r.output as JsonObject)["error"] as JsonObject;
    expect(error["Error"]).toBe("SecretsManager.SecretsManagerException");
    expect(error["Cause"]).toMatch(CAUSE("Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!"));
  });
});

describe("secrets and their versions", () => {
  it("creates, reads, puts a new version (AWSCURRENT moves, AWSPREVIOUS follows), updates and describes", async () => {
    const engine = setup();
    const r = await run(engine, steps(
      ["create", task("createSecret", { Name: "db/password", SecretString: "one", Description: "The DB", Tags: [{ Key: "team", Value: "core" }] })],
      ["get", task("getSecretValue", { SecretId: "db/password" })],
      ["put", task("putSecretValue", { "SecretId.$": "$.create.ARN", SecretString: "two" })],
      ["current", task("getSecretValue", { SecretId: "db/password" })],
      ["previous", task("getSecretValue", { SecretId: "db/password", VersionStage: "AWSPREVIOUS" })],
      ["update", task("updateSecret", { SecretId: "db/password", Description: "The database", SecretString: "three" })],
      ["describe", task("describeSecret", { SecretId: "db/password" })],
    ));
    expect(r.status).toBe("SUCCEEDED");
    const out = r.output as JsonObject;
    const create = out["create"] as JsonObject;
    expect(Object.keys(create)).toEqual(["ARN", "Name", "VersionId"]);
    expect(create["ARN"]).toMatch(ARN("db/password"));
    expect(create["VersionId"]).toMatch(UUID);
    expect(out["get"]).toEqual({ ARN: create["ARN"], CreatedDate: "2024-01-15T10:30:00.250Z", Name: "db/password", SecretString: "one", VersionId: create["VersionId"], VersionStages: ["AWSCURRENT"] });
    const put = out["put"] as JsonObject;
    expect(put).toMatchObject({ ARN: create["ARN"], Name: "db/password", VersionStages: ["AWSCURRENT"] });
    expect((out["current"] as JsonObject)["SecretString"]).toBe("two");
    expect(out["previous"]).toMatchObject({ SecretString: "one", VersionId: create["VersionId"], VersionStages: ["AWSPREVIOUS"] });
    const update = out["update"] as JsonObject;
    expect(update).toMatchObject({ ARN: create["ARN"], Name: "db/password", VersionId: expect.stringMatching(UUID) as unknown });
    expect(out["describe"]).toEqual({
      ARN: create["ARN"],
      CreatedDate: "2024-01-15T10:30:00.250Z",
      Description: "The database",
      LastAccessedDate: "2024-01-15T00:00:00Z",
      LastChangedDate: "2024-01-15T10:30:00.250Z",
      Name: "db/password",
      Tags: [{ Key: "team", Value: "core" }],
      // The first version lost its last label when the third was added: it is gone.
      VersionIdsToStages: { [put["VersionId"] as string]: ["AWSPREVIOUS"], [update["VersionId"] as string]: ["AWSCURRENT"] },
    });
  });

  it("serves the config's secrets by name, ARN and partial ARN", async () => {
    const engine = setup({ secrets: { described: { value: "d", description: "from config" }, plain: "p" } });
    const r = await run(engine, steps(
      ["list", task("listSecrets", { SortOrder: "asc" })],
      ["byArn", task("getSecretValue", { "SecretId.$": "$.list.SecretList[0].ARN" })],
      ["byPartialArn", task("getSecretValue", { SecretId: "arn:aws:secretsmanager:eu-central-1:111122223333:secret:described" })],
    ));
    expect(r.status).toBe("SUCCEEDED");
    const out = r.output as JsonObject;
    const list = (out["list"] as JsonObject)["SecretList"] as JsonObject[];
    expect(list.map((s) => s["Name"])).toEqual(["described", "plain"]);
    expect(list[0]).toMatchObject({ Description: "from config", Name: "described" });
    expect(Object.values((list[0] as JsonObject)["SecretVersionsToStages"] as JsonObject)).toEqual([["AWSCURRENT"]]);
    expect(Object.keys(list[0] as JsonObject)).toEqual(["ARN", "CreatedDate", "Description", "LastChangedDate", "Name", "SecretVersionsToStages"]);
    expect((out["byArn"] as JsonObject)["SecretString"]).toBe("d");
    expect((out["byPartialArn"] as JsonObject)["SecretString"]).toBe("d");
  });

  it("a deletion is scheduled 30 days ahead on the engine's clock, and takes effect then", async () => {
    const engine = setup({ secrets: { old: "v" } });
    const r = await run(engine, {
      StartAt: "Delete",
      States: {
        Delete: { ...task("deleteSecret", { SecretId: "old" }), ResultPath: "$.delete", Next: "Read" },
        Read: { ...task("getSecretValue", { SecretId: "old" }), Catch: [{ ErrorEquals: ["SecretsManager.InvalidRequestException"], ResultPath: "$.read", Next: "Recreate" }], End: true },
        Recreate: { ...task("createSecret", { Name: "old", SecretString: "new" }), Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.recreate", Next: "Lists" }], End: true },
        Lists: {
          Type: "Parallel",
          ResultPath: "$.lists",
          Branches: [
            { StartAt: "Live", States: { Live: { ...task("listSecrets", {}), End: true } } },
            { StartAt: "Planned", States: { Planned: { ...task("listSecrets", { IncludePlannedDeletion: true }), End: true } } },
          ],
          Next: "Describe",
        },
        Describe: { ...task("describeSecret", { SecretId: "old" }), ResultPath: "$.describe", Next: "Wait" },
        Wait: { Type: "Wait", Seconds: 30 * 86_400, Next: "Gone" },
        Gone: { ...task("describeSecret", { SecretId: "old" }), Catch: [{ ErrorEquals: ["SecretsManager.ResourceNotFoundException"], ResultPath: "$.gone", Next: "Again" }], End: true },
        Again: { ...task("createSecret", { Name: "old", SecretString: "again" }), ResultPath: "$.again", End: true },
      },
    });
    expect(r.status).toBe("SUCCEEDED");
    const out = r.output as JsonObject;
    expect(out["delete"]).toEqual({ ARN: expect.stringMatching(ARN("old")) as unknown, DeletionDate: new Date(START + 30 * DAY).toISOString(), Name: "old" });
    expect((out["read"] as JsonObject)["Cause"]).toMatch(CAUSE("You can't perform this operation on the secret because it was marked for deletion."));
    expect(out["recreate"]).toMatchObject({ Error: "SecretsManager.InvalidRequestException", Cause: expect.stringMatching(/^You can't create this secret because a secret with this name is already scheduled for deletion\./) as unknown });
    const [live, planned] = out["lists"] as JsonObject[];
    expect(live).toEqual({ SecretList: [] });
    expect(((planned as JsonObject)["SecretList"] as JsonObject[]).map((s) => s["Name"])).toEqual(["old"]);
    expect((out["describe"] as JsonObject)["DeletedDate"]).toBe("2024-01-15T10:30:00.250Z");
    expect((out["gone"] as JsonObject)["Cause"]).toMatch(CAUSE("Secrets Manager can't find the specified secret."));
    expect((out["again"] as JsonObject)["ARN"]).not.toBe((out["delete"] as JsonObject)["ARN"]);
  });

  it("ForceDeleteWithoutRecovery deletes at once; it does not go with RecoveryWindowInDays, which is 7 to 30", async () => {
    const engine = setup({ secrets: { a: "1", b: "2" } });
    const r = await run(engine, steps(["force", task("deleteSecret", { SecretId: "a", ForceDeleteWithoutRecovery: true })], ["create", task("createSecret", { Name: "a", SecretString: "x" })]));
    expect(r.status).toBe("SUCCEEDED");
    expect((r.output as JsonObject)["force"]).toMatchObject({ DeletionDate: "2024-01-15T10:30:00.250Z", Name: "a" });
    const both = await run(engine, single(task("deleteSecret", { SecretId: "b", ForceDeleteWithoutRecovery: true, RecoveryWindowInDays: 7 })));
    expect([both.error, both.cause]).toEqual(["SecretsManager.InvalidParameterException", expect.stringMatching(CAUSE("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays."))]);
    const short = await run(engine, single(task("deleteSecret", { SecretId: "b", RecoveryWindowInDays: 6 })));
    expect(short.cause).toMatch(CAUSE("The RecoveryWindowInDays value must be between 7 and 30 days (inclusive)."));
  });
});

describe("ListSecrets", () => {
  const config: ProjectConfig = {
    secrets: { "prod/db": { value: "1", description: "Primary DATABASE" }, "prod/api": "2", "dev/db": { value: "3", description: "dev database" } },
  };
  const names = (out: Json): Json[] => ((out as JsonObject)["SecretList"] as JsonObject[]).map((s) => s["Name"] as Json);

  it("filters by prefix (description in any case), with ! for negation; a filter's values are alternatives, filters all apply", async () => {
    const engine = setup(config);
    const list = async (filters: object[]): Promise<Json[]> => names((await run(engine, single(task("listSecrets", { Filters: filters, SortOrder: "asc" })))).output as Json);
    expect(await list([{ Key: "name", Values: ["prod/"] }])).toEqual(["prod/db", "prod/api"]);
    expect(await list([{ Key: "name", Values: ["!prod/"] }])).toEqual(["dev/db"]);
    expect(await list([{ Key: "description", Values: ["primary"] }])).toEqual(["prod/db"]);
    expect(await list([{ Key: "name", Values: ["dev/", "prod/a"] }])).toEqual(["prod/api", "dev/db"]);
    expect(await list([{ Key: "name", Values: ["prod/"] }, { Key: "all", Values: ["DATA"] }])).toEqual(["prod/db"]);
    const bad = await run(engine, single(task("listSecrets", { Filters: [{ Key: "colour", Values: ["x"] }] })));
    expect(bad.error).toBe("SecretsManager.SecretsManagerException");
  });

  it("pages with MaxResults and NextToken", async () => {
    const engine = setup(config);
    const r = await run(engine, steps(
      ["first", task("listSecrets", { MaxResults: 2, SortOrder: "asc" })],
      ["second", task("listSecrets", { MaxResults: 2, SortOrder: "asc", "NextToken.$": "$.first.NextToken" })],
    ));
    const out = r.output as JsonObject;
    expect(names(out["first"] as Json)).toEqual(["prod/db", "prod/api"]);
    expect((out["first"] as JsonObject)["NextToken"]).toEqual(expect.any(String));
    expect(out["second"]).toEqual({ SecretList: [expect.objectContaining({ Name: "dev/db" })] });
    const bad = await run(engine, single(task("listSecrets", { NextToken: "bm9wZQ==" })));
    expect(bad.error).toBe("SecretsManager.InvalidNextTokenException");
  });
});

describe("errors", () => {
  it("names the API's modeled errors SecretsManager.<Code>, with the service's messages", async () => {
    const engine = setup({ secrets: { taken: "v" } });
    const exists = await run(engine, single(task("createSecret", { Name: "taken", SecretString: "x" })));
    expect([exists.error, exists.cause]).toEqual(["SecretsManager.ResourceExistsException", expect.stringMatching(CAUSE("The operation failed because the secret taken already exists."))]);
    const missing = await run(engine, single(task("getSecretValue", { SecretId: "nope" })));
    expect([missing.error, missing.cause]).toEqual(["SecretsManager.ResourceNotFoundException", expect.stringMatching(CAUSE("Secrets Manager can't find the specified secret."))]);
    const both = await run(engine, single(task("createSecret", { Name: "two", SecretString: "x", SecretBinary: "eA==" })));
    expect(both.error).toBe("SecretsManager.InvalidParameterException");
    const version = await run(engine, single(task("getSecretValue", { SecretId: "taken", VersionId: "no-such-version" })));
    expect(version.cause).toMatch(CAUSE("Secrets Manager can't find the specified secret value for VersionId: no-such-version"));
    const noName = await run(engine, single(task("createSecret", { SecretString: "x" })));
    expect([noName.error, noName.cause]).toEqual(["SecretsManager.SecretsManagerException", expect.stringMatching(/^1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null \(/)]);
    const mistyped = await run(engine, single(task("getSecretValue", { SecretId: 42 })));
    expect([mistyped.error, mistyped.cause]).toEqual(["States.TaskFailed", "Parameter 'SecretId' must be a string, got 42"]);
  });

  it("a secret created without a value has no AWSCURRENT version to read", async () => {
    const engine = setup();
    const r = await run(engine, steps(["create", task("createSecret", { Name: "empty" })], ["get", task("getSecretValue", { SecretId: "empty" })]));
    expect(r.error).toBe("SecretsManager.ResourceNotFoundException");
    expect(r.cause).toMatch(CAUSE("Secrets Manager can't find the specified secret value for staging label: AWSCURRENT"));
  });
});
