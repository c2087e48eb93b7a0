/** AWS's execution statuses (DescribeExecution `status`). */
export type ExecutionStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";

export const isFinished = (s: ExecutionStatus): boolean => s !== "RUNNING";
