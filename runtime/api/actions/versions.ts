import type { ActionTable } from "../context.js";

export const versionActions: ActionTable = {};
