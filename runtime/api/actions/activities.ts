/**
 * CreateActivity, DescribeActivity, DeleteActivity, ListActivities and GetActivityTask.
 * (SendTaskSuccess/Failure/Heartbeat with an activity's token: task-tokens.ts, which hands
 * tokens that `ctx.activities.ownsToken` to the activity registry.)
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateActivity.html
 */
import { activityArn } from "../../engine/arns.js";
import type { ActivityEntry } from "../../control/activity-registry.js";
import { epochSeconds, type ActionTable, type ApiContext } from "../context.js";
import { ApiError, invalidArn } from "../errors.js";
import { checkName, optionalObject, optionalString, requiredString } from "../fields.js";
import { paginate } from "../pagination.js";
import { readTags } from "./state-machines.js";

const ACTIVITY_ARN = /^arn:aws[a-z-]*:states:[^:]*:\d{12}:activity:[^:]+$/;

/** The activity with this ARN, or ActivityDoesNotExist (InvalidArn when it is not an activity ARN). */
function activityOrThrow(ctx: ApiContext, arn: string): ActivityEntry {
  if (!ACTIVITY_ARN.test(arn)) throw invalidArn(arn);
  const entry = ctx.activities.get(arn);
  if (!entry) throw new ApiError("ActivityDoesNotExist", `Activity Does Not Exist: '${arn}'`);
  return entry;
}

const listItem = (entry: ActivityEntry): Record<string, unknown> => ({
  activityArn: entry.arn,
  name: entry.name,
  creationDate: epochSeconds(entry.creationDate),
});

export const activityActions: ActionTable = {
  /** Idempotent by name: a repeat returns the existing activity and ignores its tags (AWS). */
  CreateActivity(body, ctx) {
    const name = requiredString(body, "name", 80);
    checkName(name, "activity");
    const tags = readTags(body);
    const encryptionConfiguration = optionalObject(body, "encryptionConfiguration");
    const arn = activityArn(ctx.account, name);
    const existing = ctx.activities.get(arn);
    if (existing) return { activityArn: arn, creationDate: epochSeconds(existing.creationDate) };
    const entry = ctx.activities.add({ arn, name, creationDate: ctx.engine.clock.now(), ...(encryptionConfiguration ? { encryptionConfiguration } : {}) });
    if (tags.length > 0) ctx.tags.tag(arn, tags);
    return { activityArn: arn, creationDate: epochSeconds(entry.creationDate) };
  },

  DescribeActivity(body, ctx) {
    const entry = activityOrThrow(ctx, requiredString(body, "activityArn", 256));
    return { ...listItem(entry), encryptionConfiguration: entry.encryptionConfiguration ?? { type: "AWS_OWNED_KEY" } };
  },

  /** Deleting an activity that does not exist succeeds (AWS). */
  DeleteActivity(body, ctx) {
    const arn = requiredString(body, "activityArn", 256);
    if (!ACTIVITY_ARN.test(arn)) throw invalidArn(arn);
    ctx.activities.delete(arn);
    ctx.tags.forget(arn);
    return {};
  },

  ListActivities(body, ctx) {
    const page = paginate(body, ctx.activities.list(), "ListActivities");
    return { activities: page.items.map(listItem), ...(page.nextToken !== undefined ? { nextToken: page.nextToken } : {}) };
  },

  /** A long poll: an empty answer (no taskToken) when no task comes within the poll time. */
  async GetActivityTask(body, ctx, { signal }) {
    const arn = requiredString(body, "activityArn", 256);
    const workerName = optionalString(body, "workerName", 80);
    activityOrThrow(ctx, arn);
    const task = await ctx.activities.poll(arn, workerName, signal);
    // ActivityStarted is stored before the worker has the task: after a crash, a task it holds is not queued again.
    if (task) await ctx.engine.flushed();
    return task ? { taskToken: task.taskToken, input: task.input } : {};
  },
};
