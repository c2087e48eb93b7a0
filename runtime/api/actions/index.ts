/** Every action the API answers, by X-Amz-Target action name. */
import type { ActionTable } from "../context.js";
import { activityActions } from "./activities.js";
import { aliasActions } from "./aliases.js";
import { executionActions } from "./executions.js";
import { historyActions } from "./history.js";
import { mapRunActions } from "./map-runs.js";
import { stateMachineActions } from "./state-machines.js";
import { tagActions } from "./tags.js";
import { taskTokenActions } from "./task-tokens.js";
import { testStateActions } from "./test-state.js";
import { validateActions } from "./validate.js";
import { versionActions } from "./versions.js";

export const ACTIONS: ActionTable = {
  ...stateMachineActions,
  ...versionActions,
  ...aliasActions,
  ...tagActions,
  ...executionActions,
  ...historyActions,
  ...mapRunActions,
  ...taskTokenActions,
  ...activityActions,
  ...validateActions,
  ...testStateActions,
};

/** Every action in the Step Functions API model; those not in ACTIONS answer UnsupportedOperation. */
export const ALL_ACTIONS: readonly string[] = [
  "CreateActivity", "CreateStateMachine", "CreateStateMachineAlias", "DeleteActivity", "DeleteStateMachine",
  "DeleteStateMachineAlias", "DeleteStateMachineVersion", "DescribeActivity", "DescribeExecution", "DescribeMapRun",
  "DescribeStateMachine", "DescribeStateMachineAlias", "DescribeStateMachineForExecution", "GetActivityTask",
  "GetExecutionHistory", "ListActivities", "ListExecutions", "ListMapRuns", "ListStateMachineAliases",
  "ListStateMachineVersions", "ListStateMachines", "ListTagsForResource", "PublishStateMachineVersion",
  "RedriveExecution", "SendTaskFailure", "SendTaskHeartbeat", "SendTaskSuccess", "StartExecution",
  "StartSyncExecution", "StopExecution", "TagResource", "TestState", "UntagResource", "UpdateMapRun",
  "UpdateStateMachine", "UpdateStateMachineAlias", "ValidateStateMachineDefinition",
];
