import type { ActionTable } from "../context.js";

export const executionActions: ActionTable = {};
