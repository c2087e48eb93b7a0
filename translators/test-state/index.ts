/**
 * TestState: one state, run once, with what happened at each step of its data flow.
 * https://docs.aws.amazon.com/step-functions/latest/dg/test-state-isolation.html
 */
export { locateTestedState } from "./source.js";
export { checkMock, type MockRequest } from "./mock.js";
export { checkSuppliedContext, pretendExecution, type PretendExecution } from "./context-object.js";
export { startTestState } from "./run.js";
export { renderInspection } from "./inspection.js";
export {
  TESTED_STATE_NAME,
  TestStateRejected,
  type InspectionLevel,
  type Mock,
  type TestedState,
  type TestResult,
  type TestRun,
  type TestStatus,
  type TestStep,
  type WorkOutcome,
} from "./model.js";
