/** The crash-test worker (fixtures/durable-worker.mjs) as a child process: requests over IPC, SIGKILL by pid. */
import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "../cli/built-cli.js";

type Message = Record<string, unknown>;

export interface Worker {
  readonly child: ChildProcess;
  /** What its `engine.start()` reported. */
  readonly ready: Promise<Message>;
  /** Callback tokens its Ask function handed out, by execution ARN. */
  readonly tokens: Map<string, string>;
  request(cmd: string, args?: Message): Promise<Message>;
  /** Waits until `check` holds for the tokens received so far. */
  untilToken(arn: string): Promise<string>;
  kill(): Promise<void>;
  stderr(): string;
}

export function startWorker(storeDir: string, countFile: string): Worker {
  const child = fork(join(ROOT, "test/durable/fixtures/durable-worker.mjs"), [join(ROOT, "dist"), storeDir, countFile], { stdio: ["ignore", "pipe", "pipe", "ipc"] });
  let stderr = "";
  child.stderr?.on("data", (b: Buffer) => (stderr += b.toString()));
  child.stdout?.on("data", (b: Buffer) => (stderr += b.toString()));
  const pending = new Map<number, (m: Message) => void>();
  const tokens = new Map<string, string>();
  const tokenWaiters: (() => void)[] = [];
  let nextId = 1;
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  const ready = new Promise<Message>((resolve, reject) => {
    child.on("message", (m: Message) => {
      if (m["event"] === "ready") resolve(m);
      else if (m["event"] === "token") {
        tokens.set(m["arn"] as string, m["token"] as string);
        for (const w of tokenWaiters.splice(0)) w();
      } else pending.get(m["id"] as number)?.(m);
    });
    void exited.then(() => reject(new Error(`worker exited: ${stderr}`)));
  });
  ready.catch(() => undefined);
  return {
    child,
    ready,
    tokens,
    stderr: () => stderr,
    request(cmd, args = {}) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, (m) => (m["error"] ? reject(new Error(String(m["error"]))) : resolve(m)));
        child.send({ id, cmd, ...args });
      });
    },
    async untilToken(arn) {
      while (!tokens.has(arn)) await new Promise<void>((resolve) => tokenWaiters.push(resolve));
      return tokens.get(arn) as string;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid as number, "SIGKILL");
      await exited;
    },
  };
}
