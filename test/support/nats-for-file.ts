/**
 * One throwaway nats-server for a whole test file: started before its tests, stopped after
 * them, once what the tests asked to close (stores, adapters, connections) is closed, in the
 * order given. Each store takes a fresh KV bucket, so tests of one file never share data.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import { startNatsServer, type NatsServer } from "./nats-server.js";

export interface NatsForFile {
  /** The server's URL (once the file's tests run). */
  readonly url: string;
  /** Runs `close` after the file's tests, before the server stops. */
  atEnd(close: () => Promise<unknown>): void;
  /** A KV bucket name no other store uses. */
  freshBucket(): string;
}

export function natsForFile(): NatsForFile {
  let server: NatsServer | undefined;
  const closers: (() => Promise<unknown>)[] = [];
  beforeAll(async () => {
    server = await startNatsServer();
  });
  afterAll(async () => {
    for (const close of closers.splice(0)) await close();
    await server?.stop();
  });
  return {
    get url() {
      if (!server) throw new Error("the file's nats-server runs only while its tests do");
      return server.url;
    },
    atEnd: (close) => void closers.push(close),
    freshBucket: () => `t_${randomBytes(6).toString("hex")}`,
  };
}
