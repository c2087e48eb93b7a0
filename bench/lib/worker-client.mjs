/** The parent's handle on a worker process: `call(type, args)` → its answer, with a time limit. */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";

const workerPath = fileURLToPath(new URL("./worker.mjs", import.meta.url));

export class WorkerClient {
  /** Forks a worker for one engine and one workload; resolves once it has opened its session. */
  static async start(engineId, workloadId, options = {}) {
    const child = fork(workerPath, [engineId, workloadId, JSON.stringify(options)], {
      execArgv: ["--expose-gc", "--max-old-space-size=8192"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const client = new WorkerClient(child, `${engineId}/${workloadId}`);
    const hello = await client.wait(0, 120_000);
    client.note = hello.note;
    return client;
  }

  constructor(child, name) {
    this.child = child;
    this.name = name;
    this.nextId = 1;
    this.pending = new Map();
    this.note = null;
    child.on("message", (msg) => {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      clearTimeout(p.timer);
      if (msg.ok) p.resolve(msg.value);
      else p.reject(new Error(`${this.name}: ${msg.error}`));
    });
    child.on("exit", (code, signal) => {
      for (const p of this.pending.values()) {
        clearTimeout(p.timer);
        p.reject(new Error(`${this.name}: worker exited (code ${code}, signal ${signal})`));
      }
      this.pending.clear();
    });
  }

  wait(id, timeoutMs) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: no answer within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
    });
  }

  /** Sends a command and waits for its answer (default limit: 5 minutes). */
  call(type, args = {}, timeoutMs = 300_000) {
    const id = this.nextId++;
    const answer = this.wait(id, timeoutMs);
    this.child.send({ id, type, ...args });
    return answer;
  }

  /** Ends the worker (its own pid only). */
  async stop() {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.disconnect();
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  }
}
