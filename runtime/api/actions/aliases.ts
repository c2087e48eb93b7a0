import type { ActionTable } from "../context.js";

export const aliasActions: ActionTable = {};
