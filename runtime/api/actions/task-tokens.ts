import type { ActionTable } from "../context.js";

export const taskTokenActions: ActionTable = {};
