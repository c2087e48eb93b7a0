/**
 * Deletions across runtime nodes (#6), with real processes: a state machine, alias or activity
 * deleted through one `aslan serve --nats` node is gone on the other within its registry
 * refresh (2 s), answering as AWS does for what does not exist.
 */
import { describe, expect, it } from "vitest";
import {
  CreateActivityCommand, CreateStateMachineAliasCommand, CreateStateMachineCommand, DeleteActivityCommand, DeleteStateMachineAliasCommand,
  DeleteStateMachineCommand, DescribeActivityCommand, DescribeStateMachineAliasCommand, DescribeStateMachineCommand, GetActivityTaskCommand,
  ListActivitiesCommand, ListStateMachinesCommand, PublishStateMachineVersionCommand, StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import { clustersPerTest, errorOf, ROLE, until, type Cluster } from "./cluster-processes.js";

const PASS = JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", End: true } } });

const clusters = clustersPerTest();

async function twoNodes(): Promise<Awaited<ReturnType<Cluster["node"]>>[]> {
  const c = await clusters.start();
  return Promise.all([c.node(), c.node()]);
}

describe("deletions reach every runtime node", () => {
  it("a state machine deleted on node A: DescribeStateMachine and StartExecution on B answer StateMachineDoesNotExist", async () => {
    const [a, b] = await twoNodes();
    if (!a || !b) throw new Error("two nodes");
    const { stateMachineArn } = await a.sfn.send(new CreateStateMachineCommand({ name: "doomed", definition: PASS, roleArn: ROLE }));
    // B reads it (at its first miss), then keeps it in memory.
    expect((await b.sfn.send(new DescribeStateMachineCommand({ stateMachineArn }))).name).toBe("doomed");
    expect((await b.sfn.send(new StartExecutionCommand({ stateMachineArn, input: "{}" }))).executionArn).toBeTruthy();
    await a.sfn.send(new DeleteStateMachineCommand({ stateMachineArn }));
    const started = Date.now();
    await until("B to drop the state machine", async () => (await errorOf(b.sfn.send(new DescribeStateMachineCommand({ stateMachineArn })))) === "StateMachineDoesNotExist", 6_000);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await errorOf(b.sfn.send(new StartExecutionCommand({ stateMachineArn, input: "{}" })))).toBe("StateMachineDoesNotExist");
    expect((await b.sfn.send(new ListStateMachinesCommand({}))).stateMachines?.map((m) => m.name)).toEqual([]);
  }, 30_000);

  it("an alias deleted on A stops routing on B; a state machine recreated on A under the same name is read again on B", async () => {
    const [a, b] = await twoNodes();
    if (!a || !b) throw new Error("two nodes");
    const { stateMachineArn } = await a.sfn.send(new CreateStateMachineCommand({ name: "flow", definition: PASS, roleArn: ROLE }));
    const { stateMachineVersionArn } = await a.sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn }));
    const { stateMachineAliasArn } = await a.sfn.send(new CreateStateMachineAliasCommand({ name: "live", routingConfiguration: [{ stateMachineVersionArn, weight: 100 }] }));
    expect((await b.sfn.send(new StartExecutionCommand({ stateMachineArn: stateMachineAliasArn, input: "{}" }))).executionArn).toBeTruthy();
    await a.sfn.send(new DeleteStateMachineAliasCommand({ stateMachineAliasArn }));
    await until("B to drop the alias", async () => (await errorOf(b.sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn })))) === "ResourceNotFound", 6_000);
    // As on one node: StartExecution names no alias it cannot resolve.
    expect(await errorOf(b.sfn.send(new StartExecutionCommand({ stateMachineArn: stateMachineAliasArn, input: "{}" })))).toBe("StateMachineDoesNotExist");

    // Deleted and created again on A with another definition: B describes the new one.
    await a.sfn.send(new DeleteStateMachineCommand({ stateMachineArn }));
    const other = JSON.stringify({ StartAt: "Q", States: { Q: { Type: "Pass", Result: 1, End: true } } });
    await a.sfn.send(new CreateStateMachineCommand({ name: "flow", definition: other, roleArn: ROLE }));
    await until("B to read the new definition", async () => (await b.sfn.send(new DescribeStateMachineCommand({ stateMachineArn }))).definition === other, 6_000);
  }, 30_000);

  it("an activity deleted on A: DescribeActivity and GetActivityTask on B answer ActivityDoesNotExist", async () => {
    const [a, b] = await twoNodes();
    if (!a || !b) throw new Error("two nodes");
    const { activityArn } = await a.sfn.send(new CreateActivityCommand({ name: "doomed-work" }));
    expect((await b.sfn.send(new DescribeActivityCommand({ activityArn }))).name).toBe("doomed-work");
    // A poll already waiting on B (for up to 60 s) ends without a task once B hears of the delete.
    const polled = Date.now();
    const waiting = b.sfn.send(new GetActivityTaskCommand({ activityArn }));
    await new Promise((resolve) => setTimeout(resolve, 500));
    await a.sfn.send(new DeleteActivityCommand({ activityArn }));
    expect((await waiting).taskToken).toBeUndefined();
    expect(Date.now() - polled).toBeLessThan(15_000);
    await until("B to drop the activity", async () => (await errorOf(b.sfn.send(new DescribeActivityCommand({ activityArn })))) === "ActivityDoesNotExist", 6_000);
    expect(await errorOf(b.sfn.send(new GetActivityTaskCommand({ activityArn })))).toBe("ActivityDoesNotExist");
    expect((await b.sfn.send(new ListActivitiesCommand({}))).activities).toEqual([]);
  }, 30_000);
});
