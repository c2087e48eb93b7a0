import type { ActionTable } from "../context.js";

export const testStateActions: ActionTable = {};
