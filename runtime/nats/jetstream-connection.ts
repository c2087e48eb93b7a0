/**
 * One NATS connection for a runtime node or a worker, set to ride out a server restart:
 * it reconnects forever and buffers what it publishes meanwhile. JetStream requests made
 * while the server is away fail after their timeout; callers retry them (`retrying`).
 */
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager, type StreamConfig } from "@nats-io/jetstream";

export interface JetStreamLink {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
}

export interface ConnectOptions {
  /** e.g. `nats://127.0.0.1:4222` (comma-separated for several). */
  readonly servers: string;
  /** Shown in the server's connection list (`aslan-node`, `aslan-worker`). */
  readonly name?: string;
}

export async function connectJetStream(options: ConnectOptions): Promise<JetStreamLink> {
  const nc = await connect({
    servers: options.servers.split(",").map((s) => s.trim()),
    name: options.name ?? "aslan",
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    waitOnFirstConnect: true,
    timeout: 5_000,
  });
  return { nc, js: jetstream(nc, { timeout: 5_000 }), jsm: await jetstreamManager(nc, { timeout: 5_000 }) };
}

/** Creates the stream, or updates it to `config` when it exists (every node and worker calls this at start). */
export async function ensureStream(jsm: JetStreamManager, config: Partial<StreamConfig> & { name: string }): Promise<void> {
  try {
    await jsm.streams.info(config.name);
    await jsm.streams.update(config.name, config);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await jsm.streams.add(config);
  }
}

function isNotFound(error: unknown): boolean {
  const e = error as { code?: unknown; api_error?: { err_code?: number }; message?: string };
  return e?.api_error?.err_code === 10059 || /stream not found/i.test(e?.message ?? "");
}

/** Retries `op` while the server is unreachable (a restart), with a short backoff, until `signal` aborts. */
export function retrying<T>(op: () => Promise<T>, signal?: AbortSignal, what = "JetStream request"): Promise<T> {
  void what;
  return withBackoff(op, 1_000, (error) => !signal?.aborted && isTransient(error));
}

/**
 * Retries `op` on any error until it succeeds, `signal` aborts or the connection is closed:
 * for what nothing else would ever do again (a task's dispatch: a step already stored waits
 * for it). A server coming back from a crash can refuse for a while with errors that are not
 * plainly transient (a stream still being restored); `report` hears the first such one.
 */
export function persisting<T>(op: () => Promise<T>, signal: AbortSignal, report: (error: unknown) => void): Promise<T> {
  let reported = false;
  return withBackoff(op, 2_000, (error) => {
    if (signal.aborted || /closed/i.test(String((error as Error)?.message))) return false;
    if (!reported && !isTransient(error)) {
      reported = true;
      report(error);
    }
    return true;
  });
}

/** Calls `op` until it resolves, waiting 50 ms, doubled up to `maxDelayMs`, after each error `again` accepts; throws the first it does not. */
async function withBackoff<T>(op: () => Promise<T>, maxDelayMs: number, again: (error: unknown) => boolean): Promise<T> {
  for (let delay = 50; ; delay = Math.min(delay * 2, maxDelayMs)) {
    try {
      return await op();
    } catch (error) {
      if (!again(error)) throw error;
      await new Promise((r) => globalThis.setTimeout(r, delay).unref?.());
    }
  }
}

/**
 * Errors that go away once the server is back: timeouts, no responders, a reconnecting link.
 * A connection closed on purpose is not one of them (retrying would never end).
 */
export function isTransient(error: unknown): boolean {
  const text = `${(error as Error)?.name ?? ""} ${(error as Error)?.message ?? ""} ${String((error as { code?: unknown })?.code ?? "")}`;
  if (/closed/i.test(text)) return false;
  return /timeout|503|no responders|disconnect|reconnect/i.test(text);
}
