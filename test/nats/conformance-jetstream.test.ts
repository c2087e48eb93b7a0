/**
 * The recorded AWS cases through a JetStream-backed server (issue #6: "the conformance cases
 * pass through a JetStream-backed server as they do embedded"): one nats-server, the API
 * server as a runtime node (executions in the JetStream store, timers and task answers
 * through JetStream) and an adapter worker taking the case's aws-sdk tasks off JetStream.
 * Every case is driven over the AWS SDK as test/api/conformance-server.test.ts's second test
 * drives it (text inputs parsed): exactly the in-process suite's passable cases must pass.
 *
 * Distributed mode has no virtual time: the cases run in real time. None needs long: their
 * Waits are at most 1 s or at timestamps in the past, and the slowest are Map retries with
 * the default backoff (1 + 2 + 4 s). A case still running after CASE_DEADLINE_MS fails by name.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { buildAdapters } from "../../adapters/index.js";
import { timerQueueNames } from "../../runtime/nats/jetstream-timer-queue.js";
import { ROLE_ARN } from "../api/helpers.js";
import { loadCases, loadCompare, type ConformanceCase } from "../conformance/cases.js";
import { CONFORMANCE_CONFIG } from "../conformance/engine.js";
import { KNOWN_FAILURES } from "../conformance/known-failures.js";
import { startNatsServer, type NatsServer } from "../support/nats-server.js";
import { startJetStreamApi, type JetStreamApi } from "./jetstream-api.js";

const cases = loadCases();
/** Cases run at once: enough to hide the real-time waits, few enough for a loaded 2-core machine. */
const CONCURRENCY = 12;
const CASE_DEADLINE_MS = 60_000;
const POLL_MS = 50;

let nats: NatsServer;
let api: JetStreamApi;

beforeAll(async () => {
  nats = await startNatsServer();
  api = await startJetStreamApi({ servers: nats.url, build: buildAdapters, config: CONFORMANCE_CONFIG });
}, 60_000);

afterAll(async () => {
  await api?.close();
  await nats?.stop();
}, 60_000);

type Difference = Awaited<ReturnType<typeof loadCompare>>["difference"];

/** Runs one case to its end; returns why it does not match its recording (null: it matches). */
async function runCase(c: ConformanceCase, i: number, difference: Difference): Promise<string | null> {
  const { stateMachineArn } = await api.sfn.send(new CreateStateMachineCommand({ name: `js${i}`, definition: JSON.stringify(c.definition), roleArn: ROLE_ARN }));
  const input = typeof c.input === "string" ? c.input : JSON.stringify(c.input ?? {});
  const { executionArn } = await api.sfn.send(new StartExecutionCommand({ stateMachineArn, input }));
  const deadline = Date.now() + CASE_DEADLINE_MS;
  for (;;) {
    const d = await api.sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (d.status !== "RUNNING") return difference(c.expected, { status: d.status, output: d.output, error: d.error, cause: d.cause });
    if (Date.now() > deadline) return `still RUNNING after ${CASE_DEADLINE_MS} ms (${executionArn})`;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

describe("conformance through a JetStream-backed server", () => {
  it("over the SDK with text inputs parsed, exactly the in-process suite's cases pass", async () => {
    const { difference } = await loadCompare();
    const failures: string[] = [];
    const judge = async (i: number): Promise<void> => {
      const c = cases[i]!;
      let why: string | null;
      try {
        why = await runCase(c, i, difference);
      } catch (e) {
        why = `${(e as Error).name}: ${(e as Error).message}`;
      }
      if (why && !KNOWN_FAILURES[c.id]) failures.push(`${c.id}: ${why}`);
      if (!why && KNOWN_FAILURES[c.id]) failures.push(`${c.id}: passes but is listed as a known failure`);
    };
    let next = 0;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < cases.length) await judge(next++);
    }));
    expect(failures).toEqual([]);
    // The aws-sdk cases' tasks went to the worker over JetStream, not to an adapter in the node.
    const sdkCases = cases.filter((c) => JSON.stringify(c.definition).includes("arn:aws:states:::aws-sdk:")).length;
    expect(new Set(api.tasks.map((t) => t.executionArn)).size).toBe(sdkCases);
    // The Wait and retry cases' timers went through the JetStream timer queue.
    const timers = await api.node.link.jsm.streams.info(timerQueueNames().stream);
    expect(timers.state.last_seq).toBeGreaterThan(0);
    expect(api.errors).toEqual([]);
  }, 240_000);
});
