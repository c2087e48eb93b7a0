/**
 * SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat: answers for callback tasks
 * (`.waitForTaskToken`) and activity tasks, by task token. A token handed out by
 * GetActivityTask goes to the activities, any other to the engine.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskSuccess.html
 */
import { TaskDoesNotExist, TaskTimedOut } from "../../engine/engine.js";
import type { ActionTable, ApiContext } from "../context.js";
import { ApiError } from "../errors.js";
import { readTaskOutput } from "../execution-input.js";
import { optionalString, requiredString, type Body } from "../fields.js";

/** Which of the two holders of tokens answers this one (shared activities answer asynchronously). */
interface TokenHolder {
  succeed(token: string, output: Parameters<ApiContext["engine"]["sendTaskSuccess"]>[1]): void | Promise<void>;
  fail(token: string, error?: string, cause?: string): void | Promise<void>;
  heartbeat(token: string): void | Promise<void>;
}

async function holderOf(ctx: ApiContext, token: string): Promise<{ holder: TokenHolder; issued: boolean }> {
  if (await ctx.activities.ownsToken(token)) return { holder: ctx.activities, issued: true };
  const { engine } = ctx;
  return {
    holder: {
      succeed: (t, output) => engine.sendTaskSuccess(t, output),
      fail: (t, error, cause) => engine.sendTaskFailure(t, error, cause),
      heartbeat: (t) => engine.sendTaskHeartbeat(t),
    },
    issued: false,
  };
}

/**
 * Runs `send` on the token's holder, with AWS's errors: a task that has closed (answered,
 * timed out, its execution ended) is TaskTimedOut, a token nobody handed out TaskDoesNotExist.
 * Answers once the step it caused is stored (with a durable engine; at once otherwise).
 */
async function answer(token: string, ctx: ApiContext, send: (holder: TokenHolder) => void | Promise<void>): Promise<Record<string, never>> {
  const { holder, issued } = await holderOf(ctx, token);
  if (!issued) await ctx.engine.prepareToken(token);
  try {
    await send(holder);
  } catch (e) {
    if (e instanceof TaskTimedOut || (issued && e instanceof TaskDoesNotExist)) {
      throw new ApiError("TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'");
    }
    if (e instanceof TaskDoesNotExist) throw new ApiError("TaskDoesNotExist", "Task Does Not Exist: 'Provided task does not exist'");
    throw e;
  }
  await ctx.engine.flushed();
  return {};
}

const readToken = (body: Body): string => requiredString(body, "taskToken", 2048);

export const taskTokenActions: ActionTable = {
  SendTaskSuccess(body, ctx) {
    const token = readToken(body);
    const output = readTaskOutput(body);
    return answer(token, ctx, (holder) => holder.succeed(token, output));
  },

  SendTaskFailure(body, ctx) {
    const token = readToken(body);
    const error = optionalString(body, "error", 256);
    const cause = optionalString(body, "cause", 32_768);
    return answer(token, ctx, (holder) => holder.fail(token, error, cause));
  },

  SendTaskHeartbeat(body, ctx) {
    const token = readToken(body);
    return answer(token, ctx, (holder) => holder.heartbeat(token));
  },
};
