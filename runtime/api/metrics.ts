/**
 * `GET /metrics`: Prometheus text format, one registry per server (never prom-client's global
 * one, so servers in one process don't mix). Execution counters mirror Step Functions'
 * CloudWatch metrics (ExecutionsStarted, ExecutionsSucceeded, …), fed by the engine's observer.
 * https://docs.aws.amazon.com/step-functions/latest/dg/procedure-cw-metrics.html
 *
 * The only file that imports `prom-client`.
 */
import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";
import type { ExecutionStatus } from "../engine/execution-status.js";
import type { ExecutionObserver } from "../ports/execution-observer.js";

type FinishedStatus = Exclude<ExecutionStatus, "RUNNING">;

/** Seconds: from in-process functions (milliseconds) to callback tasks that wait an hour. */
const TASK_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];
/** Seconds: most calls take milliseconds; GetActivityTask long-polls up to 60 s. */
const REQUEST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 90];

export class ApiMetrics {
  readonly registry = new Registry();
  private readonly started: Counter;
  private readonly finished: Readonly<Record<FinishedStatus, Counter>>;
  private readonly taskDuration: Histogram<"outcome">;
  private readonly requests: Counter<"action" | "status">;
  private readonly requestDuration: Histogram<"action">;

  constructor() {
    const registers = [this.registry];
    const counter = (name: string, help: string): Counter => new Counter({ name, help, registers });
    this.started = counter("aslan_executions_started_total", "Executions started");
    this.finished = {
      SUCCEEDED: counter("aslan_executions_succeeded_total", "Executions that succeeded"),
      FAILED: counter("aslan_executions_failed_total", "Executions that failed"),
      TIMED_OUT: counter("aslan_executions_timed_out_total", "Executions that timed out"),
      ABORTED: counter("aslan_executions_aborted_total", "Executions aborted (stopped)"),
    } satisfies Record<FinishedStatus, Counter>;
    this.taskDuration = new Histogram({
      name: "aslan_task_duration_seconds", help: "Time from dispatching a task to its settling, by outcome",
      labelNames: ["outcome"], buckets: TASK_BUCKETS, registers,
    });
    this.requests = new Counter({ name: "aslan_api_requests_total", help: "API requests by action and HTTP status", labelNames: ["action", "status"], registers });
    this.requestDuration = new Histogram({
      name: "aslan_api_request_duration_seconds", help: "API request duration by action", labelNames: ["action"], buckets: REQUEST_BUCKETS, registers,
    });
    collectDefaultMetrics({ register: this.registry });
  }

  /** Give this to the engine (EngineOptions.observer). */
  readonly observer: ExecutionObserver = {
    executionStarted: () => this.started.inc(),
    executionFinished: ({ status }) => this.finished[status].inc(),
    taskSettled: ({ outcome, latencyMs }) => this.taskDuration.observe({ outcome }, latencyMs / 1000),
  };

  /** One answered API request; `action` must come from a closed set (label cardinality). */
  recordRequest(action: string, status: number, seconds: number): void {
    this.requests.inc({ action, status: String(status) });
    this.requestDuration.observe({ action }, seconds);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
