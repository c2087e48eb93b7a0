/**
 * The registries on the durable store: state machines (recompiled from their stored text),
 * versions, aliases with routing, activities and tags are there again after a restart, and
 * deletions stay deleted. A write the store refuses is an error to the client, and the
 * registry goes back to what the store holds.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateActivityCommand, CreateStateMachineAliasCommand, CreateStateMachineCommand, DeleteStateMachineCommand, DeleteStateMachineVersionCommand,
  DescribeActivityCommand, DescribeExecutionCommand, DescribeStateMachineAliasCommand, DescribeStateMachineCommand, ListActivitiesCommand,
  ListStateMachineAliasesCommand, ListStateMachinesCommand, ListStateMachineVersionsCommand, ListTagsForResourceCommand, PublishStateMachineVersionCommand,
  StartExecutionCommand, TagResourceCommand, UntagResourceCommand, UpdateStateMachineCommand,
} from "@aws-sdk/client-sfn";
import { pino } from "pino";
import { startServer } from "../../runtime/api/server.js";
import { MemoryExecutionStore } from "../../runtime/stores/memory-execution-store.js";
import type { DocumentKind, DocumentWrite } from "../../runtime/ports/execution-store.js";
import { errorName, ROLE_ARN, sfnAt, startDurable, tempDir, type Durable } from "./helpers.js";

const pass = (result: string): string => JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", Result: result, End: true } } });

/** Polls DescribeExecution until the execution has ended. */
async function outputOf(durable: Durable, executionArn: string): Promise<string | undefined> {
  for (let i = 0; i < 500; i++) {
    const d = await durable.sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (d.status !== "RUNNING") return d.output;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${executionArn} still running`);
}

describe("registries on the durable store", () => {
  const dir = tempDir("aslan-registries-");
  let durable: Durable;
  let stateMachineArn: string;
  let activityArn: string;
  const logging = { level: "ERROR" as const, includeExecutionData: true, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: "arn:aws:logs:us-east-1:123456789012:log-group:g:*" } }] };

  beforeAll(async () => {
    durable = await startDurable(dir.path);
    const sfn = durable.sfn;
    ({ stateMachineArn } = (await sfn.send(new CreateStateMachineCommand({
      name: "orders", definition: pass("v1"), roleArn: ROLE_ARN, tags: [{ key: "team", value: "a" }], loggingConfiguration: logging,
    }))) as { stateMachineArn: string });
    await sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn, description: "first" }));
    await sfn.send(new UpdateStateMachineCommand({ stateMachineArn, definition: pass("v2") }));
    await sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn }));
    await sfn.send(new UpdateStateMachineCommand({ stateMachineArn, definition: pass("v3") }));
    await sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn }));
    await sfn.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: `${stateMachineArn}:3` }));
    await sfn.send(new UpdateStateMachineCommand({ stateMachineArn, definition: pass("v4") }));
    await sfn.send(new CreateStateMachineAliasCommand({
      name: "live", description: "split", routingConfiguration: [{ stateMachineVersionArn: `${stateMachineArn}:1`, weight: 30 }, { stateMachineVersionArn: `${stateMachineArn}:2`, weight: 70 }],
    }));
    ({ activityArn } = (await sfn.send(new CreateActivityCommand({ name: "approve", tags: [{ key: "k", value: "v" }] }))) as { activityArn: string });
    await sfn.send(new TagResourceCommand({ resourceArn: stateMachineArn, tags: [{ key: "env", value: "dev" }, { key: "gone", value: "x" }] }));
    await sfn.send(new UntagResourceCommand({ resourceArn: stateMachineArn, tagKeys: ["gone"] }));
    await sfn.send(new CreateStateMachineCommand({ name: "temporary", definition: pass("t"), roleArn: ROLE_ARN, tags: [{ key: "t", value: "t" }], publish: true }));
    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: stateMachineArn.replace("orders", "temporary") }));
    await durable.stop();
    durable = await startDurable(dir.path);
  });

  afterAll(async () => {
    await durable.stop();
    dir.remove();
  });

  it("restores state machines with their definition text, configuration and revision, compiled again", async () => {
    const { sfn } = durable;
    const { stateMachines } = await sfn.send(new ListStateMachinesCommand({}));
    expect(stateMachines?.map((s) => s.name)).toEqual(["orders"]);
    const d = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));
    expect(d.definition).toBe(pass("v4"));
    expect(d.loggingConfiguration).toEqual(logging);
    expect(d.revisionId).toMatch(/^[0-9a-f-]{36}$/);
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn }));
    expect(await outputOf(durable, executionArn as string)).toBe('"v4"');
  });

  it("restores versions (a deleted number is never reused) and aliases with their routing", async () => {
    const { sfn } = durable;
    const versions = await sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn }));
    expect(versions.stateMachineVersions?.map((v) => v.stateMachineVersionArn)).toEqual([`${stateMachineArn}:2`, `${stateMachineArn}:1`]);
    const first = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${stateMachineArn}:1` }));
    expect(first).toMatchObject({ definition: pass("v1"), description: "first" });
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}:2` }));
    expect(await outputOf(durable, executionArn as string)).toBe('"v2"');
    const published = await sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn }));
    expect(published.stateMachineVersionArn).toBe(`${stateMachineArn}:4`);

    const alias = await sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: `${stateMachineArn}:live` }));
    expect(alias).toMatchObject({ name: "live", description: "split" });
    expect(alias.routingConfiguration).toEqual([{ stateMachineVersionArn: `${stateMachineArn}:1`, weight: 30 }, { stateMachineVersionArn: `${stateMachineArn}:2`, weight: 70 }]);
    const aliased = await sfn.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}:live` }));
    expect(['"v1"', '"v2"']).toContain(await outputOf(durable, aliased.executionArn as string));
  });

  it("restores activities and tags; what was deleted stays deleted", async () => {
    const { sfn } = durable;
    expect((await sfn.send(new ListActivitiesCommand({}))).activities?.map((a) => a.activityArn)).toEqual([activityArn]);
    expect((await sfn.send(new DescribeActivityCommand({ activityArn }))).name).toBe("approve");
    expect((await sfn.send(new ListTagsForResourceCommand({ resourceArn: activityArn }))).tags).toEqual([{ key: "k", value: "v" }]);
    expect((await sfn.send(new ListTagsForResourceCommand({ resourceArn: stateMachineArn }))).tags).toEqual([{ key: "team", value: "a" }, { key: "env", value: "dev" }]);
    const temporary = stateMachineArn.replace("orders", "temporary");
    expect(await errorName(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: temporary })))).toBe("StateMachineDoesNotExist");
    expect(await errorName(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${temporary}:1` })))).toBe("StateMachineDoesNotExist");
    expect((await durable.store.listDocuments("tags")).items.map((d) => d.key)).not.toContain(temporary);
  });

  it("keeps changes made after a restart, and a deleted state machine's versions and aliases go with it", async () => {
    const { sfn } = durable;
    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn }));
    await durable.stop();
    durable = await startDurable(dir.path);
    expect((await durable.sfn.send(new ListStateMachinesCommand({}))).stateMachines).toEqual([]);
    expect(await errorName(durable.sfn.send(new ListStateMachineAliasesCommand({ stateMachineArn })))).toBe("StateMachineDoesNotExist");
    for (const kind of ["stateMachine", "stateMachineVersion", "stateMachineAlias"] as const) {
      expect((await durable.store.listDocuments(kind)).items).toEqual([]);
    }
  });
});

/** A store whose document writes fail while `failing` is set. */
class FlakyStore extends MemoryExecutionStore {
  failing = false;

  override putDocument(kind: DocumentKind, key: string, value: unknown, expectedRevision?: number): Promise<DocumentWrite> {
    return this.failing ? Promise.reject(new Error("disk full")) : super.putDocument(kind, key, value, expectedRevision);
  }
}

describe("a registry write the store refuses", () => {
  it("answers InternalFailure, and the registry goes back to what the store holds", async () => {
    const store = new FlakyStore();
    const server = await startServer({ port: 0, store, log: pino({ level: "silent" }) });
    const sfn = sfnAt(server.url);
    try {
      const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: "kept", definition: pass("a"), roleArn: ROLE_ARN }));
      store.failing = true;
      expect(await errorName(sfn.send(new CreateStateMachineCommand({ name: "lost", definition: pass("b"), roleArn: ROLE_ARN })))).toBe("InternalFailure");
      expect(await errorName(sfn.send(new UpdateStateMachineCommand({ stateMachineArn, definition: pass("changed") })))).toBe("InternalFailure");
      store.failing = false;
      expect((await sfn.send(new ListStateMachinesCommand({}))).stateMachines?.map((s) => s.name)).toEqual(["kept"]);
      expect((await sfn.send(new DescribeStateMachineCommand({ stateMachineArn }))).definition).toBe(pass("a"));
    } finally {
      sfn.destroy();
      await server.close();
    }
  });
});
