import type { ActionTable } from "../context.js";

export const validateActions: ActionTable = {};
