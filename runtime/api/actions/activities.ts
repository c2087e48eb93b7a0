import type { ActionTable } from "../context.js";

export const activityActions: ActionTable = {};
