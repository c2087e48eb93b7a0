import type { ActionTable } from "../context.js";

export const historyActions: ActionTable = {};
