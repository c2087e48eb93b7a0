import type { ActionTable } from "../context.js";

export const tagActions: ActionTable = {};
