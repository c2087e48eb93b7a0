/**
 * A callback task's token after a restart: the new process has no token table, but the
 * token names its execution, so a task that already closed answers TaskTimedOut (as AWS
 * does), and a still-open one resumes its execution.
 */
import { describe, expect, it } from "vitest";
import { Engine, TaskDoesNotExist, TaskTimedOut } from "../../runtime/engine/engine.js";
import type { TaskBus, TaskRequest } from "../../runtime/ports/task-bus.js";
import { MemoryExecutionStore } from "../../runtime/stores/memory-execution-store.js";
import type { JsonObject } from "../../translators/json.js";

const ASK = {
  StartAt: "Ask",
  States: { Ask: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken", Parameters: { "token.$": "$$.Task.Token" }, End: true } },
};

/** Hands every callback task off at once and keeps its token. */
class TokenBus implements TaskBus {
  readonly tokens: string[] = [];
  dispatch(task: TaskRequest, reply: Parameters<TaskBus["dispatch"]>[1]): void {
    this.tokens.push((task.payload as JsonObject)["token"] as string);
    reply.succeeded({});
  }
}

const quiet = { warn: () => undefined, error: () => undefined };

async function engineOn(store: MemoryExecutionStore, bus: TaskBus): Promise<Engine> {
  const engine = new Engine({ store, taskBus: bus, log: quiet });
  await engine.start();
  return engine;
}

describe("callback tokens after a restart", () => {
  it("a closed task's token answers TaskTimedOut, an open one resumes its execution, a made-up one TaskDoesNotExist", async () => {
    const store = new MemoryExecutionStore();
    const bus = new TokenBus();
    const before = await engineOn(store, bus);
    const machine = before.createStateMachine("Ask", ASK);
    const answered = before.startExecution(machine, {});
    const open = before.startExecution(machine, {});
    await before.flushed();
    const [answeredToken, openToken] = bus.tokens as [string, string];
    before.sendTaskSuccess(answeredToken, { ok: 1 });
    await before.flushed();
    await before.close();

    const after = await engineOn(store, new TokenBus());
    await after.prepareToken(answeredToken);
    expect(() => after.sendTaskSuccess(answeredToken, {})).toThrow(TaskTimedOut);
    await after.prepareToken(openToken);
    after.sendTaskSuccess(openToken, { ok: 2 });
    await after.flushed();
    expect((await store.load(open.info.arn))?.summary).toMatchObject({ status: "SUCCEEDED", output: '{"ok":2}' });
    expect((await store.load(answered.info.arn))?.summary).toMatchObject({ status: "SUCCEEDED", output: '{"ok":1}' });
    const madeUp = "x".repeat(120);
    await after.prepareToken(madeUp);
    expect(() => after.sendTaskSuccess(madeUp, {})).toThrow(TaskDoesNotExist);
    expect(() => after.sendTaskSuccess(madeUp, {})).not.toThrow(TaskTimedOut);
    await after.close();
  });
});
