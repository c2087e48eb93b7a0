/**
 * A runtime node's in-process task functions (`aslan serve --functions`) as an adapter, for
 * distributed mode: their tasks go over the JetStream task queue like any worker's, and every
 * node runs them from there (nodes serve the same project, so each has the functions). A task
 * then runs once even when it is dispatched again after a server crash, and is taken by
 * another node when the one running it dies (the worker's claims and redelivery).
 */
import type { Json } from "../../translators/json.js";
import { TaskError, type Adapter, type AdapterTask } from "../ports/adapter.js";
import { InProcessTaskBus } from "./in-process-task-bus.js";
import type { TaskFunctions } from "./task-functions.js";

/** Its worker subject (`aslan.tasks.functions`). */
export const FUNCTIONS_ADAPTER = "functions";

export function functionsAdapter(functions: TaskFunctions): Adapter {
  const bus = new InProcessTaskBus(functions);
  return {
    name: FUNCTIONS_ADAPTER,
    resources: Object.keys(functions),
    // Only the tasks routed to it reach it (AdapterRouting sends those a function here runs).
    handles: () => false,
    run: (task: AdapterTask) =>
      new Promise<Json>((resolve, reject) => {
        bus.dispatch(
          {
            taskId: task.taskId, resource: task.resource.arn, payload: task.payload, stateName: task.stateName, executionArn: task.executionArn,
            ...(task.taskToken !== undefined ? { taskToken: task.taskToken } : {}),
          },
          {
            started: () => undefined,
            heartbeat: () => task.heartbeat(),
            succeeded: resolve,
            failed: (error, cause) => reject(new TaskError(error, cause)),
            isOpen: () => !task.signal.aborted,
          },
        );
      }),
  };
}
