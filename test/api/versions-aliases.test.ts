import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateStateMachineAliasCommand,
  CreateStateMachineCommand,
  DeleteStateMachineAliasCommand,
  DeleteStateMachineCommand,
  DeleteStateMachineVersionCommand,
  DescribeStateMachineAliasCommand,
  DescribeStateMachineCommand,
  DescribeStateMachineForExecutionCommand,
  ListStateMachineAliasesCommand,
  ListStateMachineVersionsCommand,
  PublishStateMachineVersionCommand,
  StartExecutionCommand,
  UpdateStateMachineAliasCommand,
  UpdateStateMachineCommand,
  type RoutingConfigurationListItem,
  type SFNClient,
} from "@aws-sdk/client-sfn";
import { MemoryStateMachineRegistry } from "../../runtime/control/memory-state-machines.js";
import type { StateMachineEntry } from "../../runtime/control/state-machine-registry.js";
import { Engine } from "../../runtime/engine/engine.js";
import { errorName, ROLE_ARN, startTestApi, type TestApi, settled } from "./helpers.js";

const SM = "arn:aws:states:us-east-1:123456789012:stateMachine:";
const pass = (result: string): string => JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", Result: result, End: true } } });
const route = (stateMachineVersionArn: string, weight: number): RoutingConfigurationListItem => ({ stateMachineVersionArn, weight });

/** A state machine with versions 1..n, version k running `pass("v<k>")`; the current definition is the last. */
async function withVersions(sfn: SFNClient, name: string, n: number): Promise<string> {
  const arn = `${SM}${name}`;
  await sfn.send(new CreateStateMachineCommand({ name, definition: pass("v1"), roleArn: ROLE_ARN, publish: true }));
  for (let k = 2; k <= n; k++) await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: pass(`v${k}`), publish: true }));
  return arn;
}


describe("state machine versions", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it("publishes, describes and lists versions, newest first, idempotently", async () => {
    const arn = `${SM}published`;
    await api.sfn.send(new CreateStateMachineCommand({ name: "published", definition: pass("one"), roleArn: ROLE_ARN }));
    const v1 = await api.sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: arn, revisionId: "INITIAL" }));
    expect(v1.stateMachineVersionArn).toBe(`${arn}:1`);
    expect(v1.creationDate).toBeInstanceOf(Date);
    // Nothing changed: the same version again.
    expect(await api.sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: arn }))).toMatchObject({ stateMachineVersionArn: `${arn}:1`, creationDate: v1.creationDate });

    const update = await api.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: pass("two") }));
    const v2 = await api.sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: arn, revisionId: update.revisionId, description: "the second" }));
    expect(v2.stateMachineVersionArn).toBe(`${arn}:2`);

    const d1 = await api.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${arn}:1` }));
    expect(d1).toMatchObject({ stateMachineArn: `${arn}:1`, name: "published", status: "ACTIVE", definition: pass("one"), roleArn: ROLE_ARN, type: "STANDARD", creationDate: v1.creationDate });
    expect(d1.revisionId).toBeUndefined();
    expect(d1.description).toBeUndefined();
    const d2 = await api.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${arn}:2` }));
    expect(d2).toMatchObject({ stateMachineArn: `${arn}:2`, definition: pass("two"), description: "the second", revisionId: update.revisionId });

    const listed = await api.sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: arn }));
    expect(listed.stateMachineVersions).toEqual([
      { stateMachineVersionArn: `${arn}:2`, creationDate: v2.creationDate },
      { stateMachineVersionArn: `${arn}:1`, creationDate: v1.creationDate },
    ]);
    expect(listed.nextToken).toBeUndefined();
  });

  it("refuses to publish a revision that is no longer current", async () => {
    const arn = `${SM}raced`;
    await api.sfn.send(new CreateStateMachineCommand({ name: "raced", definition: pass("one"), roleArn: ROLE_ARN }));
    const r1 = await api.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: pass("two") }));
    const r2 = await api.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: pass("three") }));
    await expect(api.sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: arn, revisionId: r1.revisionId }))).rejects.toMatchObject({
      name: "ConflictException",
      message: `Failed to publish the State Machine version for revision ${r1.revisionId}. The current State Machine revision is ${r2.revisionId}.`,
    });
    expect(await errorName(api.sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: arn, revisionId: "INITIAL" })))).toBe("ConflictException");
    expect((await api.sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: arn }))).stateMachineVersions).toEqual([]);
    expect(await errorName(api.sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: `${SM}ghost` })))).toBe("StateMachineDoesNotExist");
    expect(await errorName(api.sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: "invalid_arn" })))).toBe("InvalidArn");
  });

  it("deletes versions (again is no error) and never reuses their numbers", async () => {
    const arn = await withVersions(api.sfn, "pruned", 2);
    await api.sfn.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: `${arn}:2` }));
    await api.sfn.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: `${arn}:2` }));
    expect(await errorName(api.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${arn}:2` })))).toBe("StateMachineDoesNotExist");
    // The current revision lost its version: publishing makes version 3, as AWS does.
    expect((await api.sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: arn }))).stateMachineVersionArn).toBe(`${arn}:3`);
    const listed = await api.sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: arn }));
    expect(listed.stateMachineVersions?.map((v) => v.stateMachineVersionArn)).toEqual([`${arn}:3`, `${arn}:1`]);
    expect(await errorName(api.sfn.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: arn })))).toBe("InvalidArn");
  });

  it("pages through versions and refuses a bad token", async () => {
    const arn = await withVersions(api.sfn, "many", 5);
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await api.sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: arn, maxResults: 2, ...(nextToken ? { nextToken } : {}) }));
      expect(page.stateMachineVersions?.length).toBeLessThanOrEqual(2);
      seen.push(...(page.stateMachineVersions ?? []).map((v) => v.stateMachineVersionArn ?? ""));
      nextToken = page.nextToken;
      pages++;
    } while (nextToken);
    expect(pages).toBe(3);
    expect(seen).toEqual([5, 4, 3, 2, 1].map((n) => `${arn}:${n}`));
    expect(await errorName(api.sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: arn, nextToken: "InvalidToken" })))).toBe("InvalidToken");
    // A token is for the listing it came from only.
    const first = await api.sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: arn, maxResults: 1 }));
    const other = await withVersions(api.sfn, "few", 2);
    expect(await errorName(api.sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: other, nextToken: first.nextToken })))).toBe("InvalidToken");
  });

  it("runs a version's own definition, and describes it for its executions after updates", async () => {
    const arn = await withVersions(api.sfn, "runner", 2);
    await api.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: pass("latest") }));
    const run = await api.sfn.send(new StartExecutionCommand({ stateMachineArn: `${arn}:1` }));
    const described = await settled(api.sfn, run.executionArn ?? "");
    expect(described).toMatchObject({ output: '"v1"', stateMachineVersionArn: `${arn}:1` });
    const ran = await api.sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn: run.executionArn }));
    expect(ran).toMatchObject({ stateMachineArn: arn, definition: pass("v1") });
    await api.sfn.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: `${arn}:1` }));
    expect((await api.sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn: run.executionArn }))).definition).toBe(pass("v1"));
  });
});

describe("state machine aliases", () => {
  let api: TestApi;
  let arn: string;
  beforeAll(async () => {
    api = await startTestApi();
    arn = await withVersions(api.sfn, "aliased", 3);
  });
  afterAll(() => api.close());

  it("creates (idempotently), describes, updates, lists and deletes an alias", async () => {
    const created = await api.sfn.send(new CreateStateMachineAliasCommand({ name: "live", description: "production", routingConfiguration: [route(`${arn}:1`, 100)] }));
    expect(created.stateMachineAliasArn).toBe(`${arn}:live`);
    expect(created.creationDate).toBeInstanceOf(Date);
    const again = await api.sfn.send(new CreateStateMachineAliasCommand({ name: "live", description: "production", routingConfiguration: [route(`${arn}:1`, 100)] }));
    expect(again).toMatchObject({ stateMachineAliasArn: created.stateMachineAliasArn, creationDate: created.creationDate });
    const conflict = "Failed to create alias because an alias with the same name and a different routing configuration already exists.";
    await expect(api.sfn.send(new CreateStateMachineAliasCommand({ name: "live", description: "other", routingConfiguration: [route(`${arn}:1`, 100)] }))).rejects.toMatchObject({ name: "ConflictException", message: conflict });
    await expect(api.sfn.send(new CreateStateMachineAliasCommand({ name: "live", description: "production", routingConfiguration: [route(`${arn}:1`, 50), route(`${arn}:2`, 50)] }))).rejects.toMatchObject({ name: "ConflictException", message: conflict });

    const described = await api.sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: `${arn}:live` }));
    expect(described).toMatchObject({ stateMachineAliasArn: `${arn}:live`, name: "live", description: "production", routingConfiguration: [route(`${arn}:1`, 100)], creationDate: created.creationDate });
    expect(described.updateDate).toEqual(created.creationDate); // AWS: same as the creation date until updated

    const updated = await api.sfn.send(new UpdateStateMachineAliasCommand({ stateMachineAliasArn: `${arn}:live`, routingConfiguration: [route(`${arn}:1`, 50), route(`${arn}:2`, 50)] }));
    expect(updated.updateDate).toBeInstanceOf(Date);
    await api.sfn.send(new UpdateStateMachineAliasCommand({ stateMachineAliasArn: `${arn}:live`, description: "new description" }));
    expect(await api.sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: `${arn}:live` }))).toMatchObject({
      description: "new description",
      routingConfiguration: [route(`${arn}:1`, 50), route(`${arn}:2`, 50)],
    });

    await api.sfn.send(new CreateStateMachineAliasCommand({ name: "beta", routingConfiguration: [route(`${arn}:3`, 100)] }));
    const listed = await api.sfn.send(new ListStateMachineAliasesCommand({ stateMachineArn: arn }));
    expect(listed.stateMachineAliases).toEqual([
      { stateMachineAliasArn: `${arn}:beta`, creationDate: expect.any(Date) },
      { stateMachineAliasArn: `${arn}:live`, creationDate: created.creationDate },
    ]);
    // With a version ARN: the aliases that route to it.
    const toV3 = await api.sfn.send(new ListStateMachineAliasesCommand({ stateMachineArn: `${arn}:3` }));
    expect(toV3.stateMachineAliases?.map((a) => a.stateMachineAliasArn)).toEqual([`${arn}:beta`]);

    await api.sfn.send(new DeleteStateMachineAliasCommand({ stateMachineAliasArn: `${arn}:beta` }));
    await api.sfn.send(new DeleteStateMachineAliasCommand({ stateMachineAliasArn: `${arn}:beta` }));
    expect(await errorName(api.sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: `${arn}:beta` })))).toBe("ResourceNotFound");
    await expect(api.sfn.send(new UpdateStateMachineAliasCommand({ stateMachineAliasArn: `${arn}:beta`, description: "d" }))).rejects.toMatchObject({
      name: "ResourceNotFound",
      message: "Request references a resource that does not exist.",
    });
    // The versions it routed to stay.
    expect((await api.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${arn}:3` }))).definition).toBe(pass("v3"));
  });

  it("starts executions through an alias and a version", async () => {
    await api.sfn.send(new CreateStateMachineAliasCommand({ name: "stable", routingConfiguration: [route(`${arn}:2`, 100)] }));
    const viaAlias = await api.sfn.send(new StartExecutionCommand({ stateMachineArn: `${arn}:stable` }));
    expect(await settled(api.sfn, viaAlias.executionArn ?? "")).toMatchObject({ output: '"v2"', stateMachineVersionArn: `${arn}:2`, stateMachineAliasArn: `${arn}:stable` });
    const ran = await api.sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn: viaAlias.executionArn }));
    expect(ran).toMatchObject({ stateMachineArn: arn, definition: pass("v2") });
  });

  it("checks alias names as AWS does: no all-digit names, which would read as versions", async () => {
    const pattern = "^(?=.*[a-zA-Z_\\-\\.])[a-zA-Z0-9_\\-\\.]+$";
    for (const name of ["123", "INVALID ALIAS", "!INVALID", "ALIAS@"]) {
      await expect(api.sfn.send(new CreateStateMachineAliasCommand({ name, routingConfiguration: [route(`${arn}:1`, 100)] }))).rejects.toMatchObject({
        name: "ValidationException",
        message: `1 validation error detected: Value '${name}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern}`,
      });
    }
    const long = "A".repeat(81);
    await expect(api.sfn.send(new CreateStateMachineAliasCommand({ name: long, routingConfiguration: [route(`${arn}:1`, 100)] }))).rejects.toMatchObject({
      message: `1 validation error detected: Value '${long}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 80`,
    });
    expect(await errorName(api.sfn.send(new CreateStateMachineAliasCommand({ name: "", routingConfiguration: [route(`${arn}:1`, 100)] })))).toBe("ValidationException");
    expect((await api.sfn.send(new CreateStateMachineAliasCommand({ name: "v1.0-rc_2", routingConfiguration: [route(`${arn}:1`, 100)] }))).stateMachineAliasArn).toBe(`${arn}:v1.0-rc_2`);
  });

  it("checks routing configurations with AWS's messages", async () => {
    const create = (routingConfiguration: RoutingConfigurationListItem[]): Promise<unknown> =>
      api.sfn.send(new CreateStateMachineAliasCommand({ name: "routed", routingConfiguration }));
    const v = (n: number): string => `${arn}:${n}`;
    const fails = async (routing: RoutingConfigurationListItem[], message: string, name = "ValidationException"): Promise<void> => {
      await expect(create(routing)).rejects.toMatchObject({ name, message });
    };
    await fails([], "1 validation error detected: Value '[]' at 'routingConfiguration' failed to satisfy constraint: Member must have length greater than or equal to 1");
    await fails(
      [route(v(1), 50), route(v(2), 30), route(v(3), 20)],
      `1 validation error detected: Value '[RoutingConfigurationListItem(stateMachineVersionArn=${v(1)}, weight=50), RoutingConfigurationListItem(stateMachineVersionArn=${v(2)}, weight=30), RoutingConfigurationListItem(stateMachineVersionArn=${v(3)}, weight=20)]' at 'routingConfiguration' failed to satisfy constraint: Member must have length less than or equal to 2`,
    );
    await fails([route(v(1), 50), route(v(1), 50)], `Routing configuration must contain distinct state machine version ARNs. Received: [${v(1)}, ${v(1)}]`);
    await fails([route(arn, 70), route(v(2), 30)], `Routing configuration must contain state machine version ARNs. Received: [${arn}, ${v(2)}]`);
    await fails([route(`${arn}:live`, 100)], `Routing configuration must contain state machine version ARNs. Received: [${arn}:live]`);
    await fails([route(v(1), 101)], "1 validation error detected: Value '101' at 'routingConfiguration.1.member.weight' failed to satisfy constraint: Member must have value less than or equal to 100");
    await fails([route(v(1), -1)], "1 validation error detected: Value '-1' at 'routingConfiguration.1.member.weight' failed to satisfy constraint: Member must have value greater than or equal to 0");
    await fails([route(v(1), 70), route(v(2), 29)], "Sum of routing configuration weights must equal 100. Received: [70, 29]");
    await fails([route(v(1), 70), route(v(2), 31)], "Sum of routing configuration weights must equal 100. Received: [70, 31]");
    await fails([route(v(9), 100)], "Request references a resource that does not exist.", "ResourceNotFound");
    const other = await withVersions(api.sfn, "other", 1);
    expect(await errorName(create([route(v(1), 50), route(`${other}:1`, 50)]))).toBe("ValidationException");
    // An alias routes to versions of its own state machine only.
    await api.sfn.send(new CreateStateMachineAliasCommand({ name: "own", routingConfiguration: [route(v(1), 100)] }));
    expect(await errorName(api.sfn.send(new UpdateStateMachineAliasCommand({ stateMachineAliasArn: `${arn}:own`, routingConfiguration: [route(`${other}:1`, 100)] })))).toBe("ValidationException");
    expect(await errorName(api.sfn.send(new UpdateStateMachineAliasCommand({ stateMachineAliasArn: `${arn}:own` })))).toBe("ValidationException");
    expect(await errorName(api.sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: v(1) })))).toBe("InvalidArn");
    expect(await errorName(api.sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: `${arn}:never` })))).toBe("ResourceNotFound");
  });

  it("refuses to delete a version an alias routes to, until the alias moves", async () => {
    const sm = await withVersions(api.sfn, "guarded", 2);
    await api.sfn.send(new CreateStateMachineAliasCommand({ name: "prod", routingConfiguration: [route(`${sm}:1`, 100)] }));
    await api.sfn.send(new CreateStateMachineAliasCommand({ name: "canary", routingConfiguration: [route(`${sm}:1`, 90), route(`${sm}:2`, 10)] }));
    await expect(api.sfn.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: `${sm}:1` }))).rejects.toMatchObject({
      name: "ConflictException",
      message: "Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [prod, canary]",
    });
    await api.sfn.send(new UpdateStateMachineAliasCommand({ stateMachineAliasArn: `${sm}:prod`, routingConfiguration: [route(`${sm}:2`, 100)] }));
    await api.sfn.send(new DeleteStateMachineAliasCommand({ stateMachineAliasArn: `${sm}:canary` }));
    await api.sfn.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: `${sm}:1` }));
    expect((await api.sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: sm }))).stateMachineVersions?.map((x) => x.stateMachineVersionArn)).toEqual([`${sm}:2`]);
  });

  it("pages through aliases, and deleting the state machine deletes them", async () => {
    const sm = await withVersions(api.sfn, "crowded", 1);
    const names = ["e", "a", "d", "b", "c"].map((n) => `alias-${n}`);
    for (const name of names) await api.sfn.send(new CreateStateMachineAliasCommand({ name, routingConfiguration: [route(`${sm}:1`, 100)] }));
    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await api.sfn.send(new ListStateMachineAliasesCommand({ stateMachineArn: sm, maxResults: 2, ...(nextToken ? { nextToken } : {}) }));
      seen.push(...(page.stateMachineAliases ?? []).map((a) => a.stateMachineAliasArn ?? ""));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(seen).toEqual([...names].sort().map((n) => `${sm}:${n}`));
    expect(await errorName(api.sfn.send(new ListStateMachineAliasesCommand({ stateMachineArn: sm, nextToken: "InvalidToken" })))).toBe("InvalidToken");

    await api.sfn.send(new DeleteStateMachineCommand({ stateMachineArn: sm }));
    expect(await errorName(api.sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: `${sm}:alias-a` })))).toBe("ResourceNotFound");
    expect(await errorName(api.sfn.send(new ListStateMachineAliasesCommand({ stateMachineArn: sm })))).toBe("StateMachineDoesNotExist");
    expect(await errorName(api.sfn.send(new StartExecutionCommand({ stateMachineArn: `${sm}:alias-a` })))).toBe("StateMachineDoesNotExist");
  });
});

describe("MemoryStateMachineRegistry.resolveForStart", () => {
  const engine = new Engine();
  const entry = (name: string, result: string): StateMachineEntry => {
    const arn = `${SM}${name}`;
    const record = { arn, name, compiled: engine.compile(pass(result)), creationDate: 0, type: "STANDARD" as const, roleArn: ROLE_ARN };
    return { arn, name, type: "STANDARD", definition: pass(result), roleArn: ROLE_ARN, creationDate: 0, record };
  };

  /** A registry whose alias routing draws `r`, with versions 1 and 2 of `m` and alias `m:split` routing 30/70. */
  function registry(r: number): MemoryStateMachineRegistry {
    const reg = new MemoryStateMachineRegistry(() => r);
    reg.put(entry("m", "one"));
    reg.publish(`${SM}m`, undefined, 1);
    reg.put({ ...entry("m", "two"), revisionId: "r2" });
    reg.publish(`${SM}m`, undefined, 2);
    reg.putAlias({ arn: `${SM}m:split`, name: "split", stateMachineArn: `${SM}m`, creationDate: 3, routingConfiguration: [route(`${SM}m:1`, 30), route(`${SM}m:2`, 70)] as { stateMachineVersionArn: string; weight: number }[] });
    return reg;
  }

  it("resolves a state machine, a version and an alias (by weight)", () => {
    const reg = registry(0.1);
    expect(reg.resolveForStart(`${SM}m`)?.entry.definition).toBe(pass("two"));
    expect(reg.resolveForStart(`${SM}m`)?.stateMachineVersionArn).toBeUndefined();
    expect(reg.resolveForStart(`${SM}m:1`)).toMatchObject({ entry: { definition: pass("one") }, stateMachineVersionArn: `${SM}m:1` });
    expect(reg.resolveForStart(`${SM}m:split`)).toMatchObject({ entry: { definition: pass("one") }, stateMachineVersionArn: `${SM}m:1`, stateMachineAliasArn: `${SM}m:split` });
    expect(registry(0.29).resolveForStart(`${SM}m:split`)?.stateMachineVersionArn).toBe(`${SM}m:1`);
    expect(registry(0.3).resolveForStart(`${SM}m:split`)?.stateMachineVersionArn).toBe(`${SM}m:2`);
    expect(registry(0.99).resolveForStart(`${SM}m:split`)?.stateMachineVersionArn).toBe(`${SM}m:2`);
    expect(reg.resolveForStart(`${SM}m:3`)).toBeUndefined();
    expect(reg.resolveForStart(`${SM}m:nope`)).toBeUndefined();
  });

  it("publishes a revision once, and finds the revision an execution ran after updates", () => {
    const reg = registry(0);
    const first = reg.get(`${SM}m`);
    expect(reg.publish(`${SM}m`, "again", 9).versionArn).toBe(`${SM}m:2`);
    reg.put({ ...entry("m", "three"), revisionId: "r3" });
    const oldCompiled = first?.record.compiled;
    expect(reg.entryFor(`${SM}m`, undefined, oldCompiled)?.definition).toBe(pass("two"));
    expect(reg.entryFor(`${SM}m`)?.definition).toBe(pass("three"));
    expect(reg.entryFor(`${SM}m`, `${SM}m:1`)?.definition).toBe(pass("one"));
  });
});
