/**
 * PublishStateMachineVersion, ListStateMachineVersions, DeleteStateMachineVersion. A version
 * is an immutable snapshot of one revision, `<state machine ARN>:<n>`; numbers only grow.
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-state-machine-version.html
 */
import { epochSeconds, type ActionTable } from "../context.js";
import { ApiError, invalidArn } from "../errors.js";
import { optionalString, requiredString } from "../fields.js";
import { paginate } from "../pagination.js";
import { parseStateMachineArn } from "../state-machine-arns.js";
import { stateMachineOrThrow } from "./state-machines.js";

/** What PublishStateMachineVersion's `revisionId` calls a state machine never updated. */
const INITIAL_REVISION = "INITIAL";

export const versionActions: ActionTable = {
  /**
   * Publishes the current revision, or answers the version already published from it. With
   * `revisionId`, only when that is still the current revision (ConflictException otherwise).
   */
  PublishStateMachineVersion(body, ctx) {
    const arn = requiredString(body, "stateMachineArn", 256);
    const revisionId = optionalString(body, "revisionId", 2048);
    const description = optionalString(body, "description", 256);
    const entry = stateMachineOrThrow(ctx, arn);
    const current = entry.revisionId ?? INITIAL_REVISION;
    if (revisionId !== undefined && revisionId !== current) {
      throw new ApiError("ConflictException", `Failed to publish the State Machine version for revision ${revisionId}. The current State Machine revision is ${current}.`);
    }
    const version = ctx.stateMachines.publish(arn, description, ctx.engine.clock.now());
    return { creationDate: epochSeconds(version.creationDate), stateMachineVersionArn: version.versionArn };
  },

  /** Newest first. A state machine that does not exist has no versions (AWS lists no StateMachineDoesNotExist here). */
  ListStateMachineVersions(body, ctx) {
    const arn = requiredString(body, "stateMachineArn", 256);
    if (parseStateMachineArn(arn).kind !== "stateMachine") throw invalidArn(arn);
    const page = paginate(body, ctx.stateMachines.versions(arn), `ListStateMachineVersions ${arn}`);
    return {
      stateMachineVersions: page.items.map((v) => ({ stateMachineVersionArn: v.versionArn, creationDate: epochSeconds(v.creationDate) })),
      ...(page.nextToken !== undefined ? { nextToken: page.nextToken } : {}),
    };
  },

  /** Refused while an alias routes to the version; a version that is not there is no error. */
  DeleteStateMachineVersion(body, ctx) {
    const arn = requiredString(body, "stateMachineVersionArn", 2000);
    const ref = parseStateMachineArn(arn);
    if (ref.kind !== "version") throw invalidArn(arn);
    const routing = ctx.stateMachines.aliases(ref.stateMachineArn).filter((a) => a.routingConfiguration.some((r) => r.stateMachineVersionArn === arn));
    if (routing.length > 0) {
      throw new ApiError(
        "ConflictException",
        `Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [${routing.map((a) => a.name).join(", ")}]`,
      );
    }
    ctx.stateMachines.deleteVersion(arn);
    return {};
  },
};
