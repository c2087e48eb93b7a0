/**
 * Activity task claims (runtime/nats/jetstream-activity-tokens.ts): a task message is
 * handed out once, but the message whose node died before its poller got the task may
 * claim it again (nothing is lost), and a repeat of a handed-out task is dropped.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectJetStream, type JetStreamLink } from "../../runtime/nats/jetstream-connection.js";
import { ActivityTokens } from "../../runtime/nats/jetstream-activity-tokens.js";
import { startNatsServer, type NatsServer } from "../support/nats-server.js";

let server: NatsServer;
let link: JetStreamLink;
beforeAll(async () => {
  server = await startNatsServer();
  link = await connectJetStream({ servers: server.url, name: "activity-tokens-test" });
});
afterAll(async () => {
  await link?.nc.close();
  await server?.stop();
});

describe("activity task claims", () => {
  it("let the claiming message claim again until the task is handed out; other messages never", async () => {
    const tokens = new ActivityTokens(link.js);
    const ref = { executionArn: "arn:aws:states:us-east-1:123456789012:execution:A:one", taskId: "root:task:3:0" };
    expect(await tokens.claim(ref, "token-1", 5)).toBe(true);
    // The same message again (its node died before the poller got it): taken over, under a new token.
    expect(await tokens.claim(ref, "token-2", 5)).toBe(true);
    expect(await tokens.lookup("token-1")).toBeUndefined();
    expect(await tokens.lookup("token-2")).toEqual(ref);
    // Another message for the same task (a repeated dispatch): a duplicate.
    expect(await tokens.claim(ref, "token-3", 6)).toBe(false);
    await tokens.handedOut(ref, "token-2", 5);
    // Handed out: even the claiming message coming back (a lost ack) is a repeat.
    expect(await tokens.claim(ref, "token-4", 5)).toBe(false);
    expect(await tokens.lookup("token-2")).toEqual(ref);
  });
});
