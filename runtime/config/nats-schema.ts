/**
 * The shape of the config's `nats` and `triggers` sections. A trigger's state machine need
 * not exist when the config loads (it may be created later through the API): only its form
 * is checked here.
 */
import { subjectProblem } from "../ports/message-bus.js";
import { array, object, required, string, type Check } from "./shape.js";

/** A NATS subject; `wildcards` for subscriptions. */
const subject = (wildcards: boolean): Check => (v, path, problems) => {
  const before = problems.length;
  string({ nonEmpty: true })(v, path, problems);
  const problem = problems.length === before ? subjectProblem(v as string, { wildcards }) : undefined;
  if (problem !== undefined) problems.push(`${path}: not a valid NATS subject: ${problem}`);
};

/** Server URLs, comma-separated: `nats://host:port`, `tls://…`, `host:port`, with `user:pass@` if needed. */
const servers: Check = (v, path, problems) => {
  const before = problems.length;
  string({ nonEmpty: true })(v, path, problems);
  if (problems.length > before) return;
  for (const url of (v as string).split(",").map((s) => s.trim())) {
    if (!/^((nats|tls):\/\/)?([^\s@/]+@)?[^\s@/:]+(:\d{1,5})?$/.test(url)) {
      problems.push(`${path}: '${url}' is not a NATS server URL (e.g. nats://127.0.0.1:4222)`);
    }
  }
};

/** A state machine name (AWS: 1-80 characters, no white space or `:`), or a state machine, version or alias ARN. */
const stateMachine: Check = (v, path, problems) => {
  const before = problems.length;
  string({ nonEmpty: true })(v, path, problems);
  if (problems.length > before) return;
  const s = v as string;
  const ok = s.startsWith("arn:") ? /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[^:\s]+(:[^:\s]+)?$/.test(s) : /^[^\s:/]{1,80}$/.test(s);
  if (!ok) problems.push(`${path}: expected a state machine name or ARN, found "${s}"`);
};

/** Queue group names follow the subject token rules, without dots or wildcards. */
const queue: Check = (v, path, problems) => {
  const before = problems.length;
  string({ nonEmpty: true })(v, path, problems);
  if (problems.length === before && /[\s.*>]/.test(v as string)) problems.push(`${path}: a queue group name has no white space, '.', '*' or '>'`);
};

export const NATS: Check = object({ servers: required(servers) });

export const TRIGGERS: Check = array(object({ subject: required(subject(true)), stateMachine: required(stateMachine), queue }));

