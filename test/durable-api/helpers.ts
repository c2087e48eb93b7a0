/**
 * `aslan serve`'s server on a durable store in a temp dir, restartable: each `start()` opens
 * the store again (as a restarted process would) and a server on it, driven by the SDK.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SFNClient } from "@aws-sdk/client-sfn";
import { startServer, type ApiServer, type ServerOptions } from "../../runtime/api/server.js";
import type { ExecutionStore, ExecutionSummary, HistoryEvent } from "../../runtime/ports/execution-store.js";
import { LmdbExecutionStore } from "../../runtime/stores/lmdb-execution-store.js";

export const ROLE_ARN = "arn:aws:iam::123456789012:role/DummyRole";
export const ACCOUNT = "arn:aws:states:us-east-1:123456789012";

export interface Durable {
  readonly store: LmdbExecutionStore;
  readonly server: ApiServer;
  readonly sfn: SFNClient;
  /** Stops the server and closes the store (a clean shutdown). */
  stop(): Promise<void>;
}

/** A temp directory for one test file, removed by `remove()`. */
export function tempDir(prefix: string): { readonly path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export function sfnAt(url: string): SFNClient {
  return new SFNClient({ endpoint: url, region: "us-east-1", disableHostPrefix: true, maxAttempts: 1, credentials: { accessKeyId: "AKIDLOCAL", secretAccessKey: "local" } });
}

/** Opens the store in `path` and serves it on a free loopback port. */
export async function startDurable(path: string, options: ServerOptions = {}): Promise<Durable> {
  const store = await LmdbExecutionStore.open({ path });
  let server: ApiServer;
  try {
    server = await startServer({ port: 0, host: "127.0.0.1", store, ...options });
  } catch (e) {
    await store.close();
    throw e;
  }
  const sfn = sfnAt(server.url);
  return {
    store, server, sfn,
    stop: async () => {
      sfn.destroy();
      await server.close();
      await store.close();
    },
  };
}

/** The AWS error name an SDK call rejected with: the API tests' helper. */
export { errorName } from "../api/helpers.js";

/** Events ExecutionStarted … ExecutionSucceeded of a Pass chain, as an engine records them. */
export function passHistory(start: number, input: string, output: string, passes = 3): HistoryEvent[] {
  const events: HistoryEvent[] = [{ id: 1, previousEventId: 0, timestamp: start, type: "ExecutionStarted", executionStartedEventDetails: { input, inputDetails: { truncated: false }, roleArn: ROLE_ARN } } as HistoryEvent];
  for (let i = 0; i < passes; i++) {
    const id = events.length + 1;
    events.push({ id, previousEventId: id - 1, timestamp: start + i + 1, type: "PassStateEntered", stateEnteredEventDetails: { name: `P${i}`, input } } as HistoryEvent);
    events.push({ id: id + 1, previousEventId: id, timestamp: start + i + 1, type: "PassStateExited", stateExitedEventDetails: { name: `P${i}`, output } } as HistoryEvent);
  }
  const last = events.length;
  events.push({ id: last + 1, previousEventId: last, timestamp: start + passes + 1, type: "ExecutionSucceeded", executionSucceededEventDetails: { output, outputDetails: { truncated: false } } } as HistoryEvent);
  return events;
}

/**
 * Writes a finished execution into the store as the persisting engine (#4) does, with no
 * run in the engine's memory: what the API sees of an execution that has left memory.
 */
export async function storeFinished(
  store: ExecutionStore, stateMachine: string, name: string, start: number, extra: { [K in keyof ExecutionSummary]?: ExecutionSummary[K] | undefined } = {},
): Promise<ExecutionSummary> {
  const fields = {
    executionArn: `${ACCOUNT}:execution:${stateMachine}:${name}`, name, stateMachineArn: `${ACCOUNT}:stateMachine:${stateMachine}`,
    type: "STANDARD", status: "SUCCEEDED", startDate: start, stopDate: start + 10, input: `{"name":"${name}"}`, output: `{"done":"${name}"}`, redriveCount: 0,
    ...extra,
  };
  // `undefined` in `extra` leaves a field out (a RUNNING execution has no stopDate).
  const summary = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as unknown as ExecutionSummary;
  const events = passHistory(start, summary.input ?? "{}", summary.output ?? "null");
  const [outcome] = await store.commit([{ expectedRevision: 0, summary, state: { test: true }, events }]);
  if (outcome?.status !== "ok") throw new Error(`could not store ${summary.executionArn}: ${JSON.stringify(outcome)}`);
  return summary;
}
