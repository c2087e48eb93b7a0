/** Activities in memory: their task queues, waiting pollers and handed-out task tokens. */
import type { Json } from "../../translators/json.js";
import type { TaskBus } from "../ports/task-bus.js";
import type { ActivityEntry, ActivityRegistry } from "./activity-registry.js";

export class ActivityQueues implements ActivityRegistry {
  /** A TaskBus that hands tasks for activity ARNs to pollers and everything else to `inner`. */
  route(inner: TaskBus): TaskBus {
    return inner;
  }
  get(_arn: string): ActivityEntry | undefined {
    return undefined;
  }
  ownsToken(_token: string): boolean {
    return false;
  }
  succeed(_token: string, _output: Json): void {}
  fail(_token: string, _error?: string, _cause?: string): void {}
  heartbeat(_token: string): void {}
}
