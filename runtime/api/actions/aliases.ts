/**
 * State machine aliases: a name (`<state machine ARN>:<alias name>`) that routes executions
 * to one or two versions of one state machine by weight. Create, Describe, Update, Delete, List.
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-state-machine-alias.html
 */
import type { AliasEntry, RoutingEntry } from "../../control/state-machine-registry.js";
import { epochSeconds, type ActionTable, type ApiContext } from "../context.js";
import { ApiError, invalidArn, validationError } from "../errors.js";
import { optionalArray, optionalString, requiredString, type Body } from "../fields.js";
import { paginate } from "../pagination.js";
import { parseStateMachineArn, resourceNotFound, stateMachineDoesNotExist, type StateMachineRef } from "../state-machine-arns.js";

/** AWS's alias name rule: at least one letter, `_`, `-` or `.`, so a name never looks like a version number. */
const ALIAS_NAME = /^(?=.*[a-zA-Z_\-.])[a-zA-Z0-9_\-.]+$/;
const ALIAS_NAME_PATTERN = "^(?=.*[a-zA-Z_\\-\\.])[a-zA-Z0-9_\\-\\.]+$";

const validation = (message: string): ApiError => new ApiError("ValidationException", message);

/** How AWS prints a routing configuration in a validation message. */
const shown = (items: readonly unknown[]): string =>
  `[${items.map((i) => {
    const o = (i ?? {}) as Record<string, unknown>;
    return `RoutingConfigurationListItem(stateMachineVersionArn=${String(o["stateMachineVersionArn"])}, weight=${String(o["weight"])})`;
  }).join(", ")}]`;

function readRoute(item: unknown, index: number): RoutingEntry {
  const o = (item ?? {}) as Record<string, unknown>;
  const at = `routingConfiguration.${index + 1}.member`;
  const arn = o["stateMachineVersionArn"];
  const weight = o["weight"];
  if (typeof arn !== "string") throw validationError(`${at}.stateMachineVersionArn`, arn, "Member must not be null");
  if (arn.length > 2000) throw validationError(`${at}.stateMachineVersionArn`, arn, "Member must have length less than or equal to 2000");
  if (typeof weight !== "number" || !Number.isInteger(weight)) throw validationError(`${at}.weight`, weight, "Member must not be null");
  if (weight < 0) throw validationError(`${at}.weight`, weight, "Member must have value greater than or equal to 0");
  if (weight > 100) throw validationError(`${at}.weight`, weight, "Member must have value less than or equal to 100");
  return { stateMachineVersionArn: arn, weight };
}

function versionRef(arn: string): StateMachineRef | undefined {
  try {
    const ref = parseStateMachineArn(arn);
    return ref.kind === "version" ? ref : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One or two distinct, existing versions of one state machine, weights summing to 100, with
 * AWS's messages. Answers the routes and the state machine they belong to.
 */
function readRouting(ctx: ApiContext, items: readonly unknown[]): { routes: RoutingEntry[]; stateMachineArn: string } {
  if (items.length < 1) throw validationError("routingConfiguration", shown(items), "Member must have length greater than or equal to 1");
  if (items.length > 2) throw validationError("routingConfiguration", shown(items), "Member must have length less than or equal to 2");
  const routes = items.map(readRoute);
  const arns = routes.map((r) => r.stateMachineVersionArn);
  const received = `Received: [${arns.join(", ")}]`;
  const refs = arns.map(versionRef);
  if (refs.some((r) => r === undefined)) throw validation(`Routing configuration must contain state machine version ARNs. ${received}`);
  if (new Set(arns).size !== arns.length) throw validation(`Routing configuration must contain distinct state machine version ARNs. ${received}`);
  const machines = new Set(refs.map((r) => r?.stateMachineArn));
  if (machines.size !== 1) throw validation(`Routing configuration must contain versions of the same state machine. ${received}`);
  if (routes.reduce((sum, r) => sum + r.weight, 0) !== 100) {
    throw validation(`Sum of routing configuration weights must equal 100. Received: [${routes.map((r) => r.weight).join(", ")}]`);
  }
  if (arns.some((a) => !ctx.stateMachines.getVersion(a))) throw resourceNotFound();
  return { routes, stateMachineArn: [...machines][0] ?? "" };
}

const sameRouting = (a: readonly RoutingEntry[], b: readonly RoutingEntry[]): boolean =>
  a.length === b.length && a.every((r) => b.some((s) => s.stateMachineVersionArn === r.stateMachineVersionArn && s.weight === r.weight));

function aliasOrThrow(ctx: ApiContext, arn: string): AliasEntry {
  if (parseStateMachineArn(arn).kind !== "alias") throw invalidArn(arn);
  const alias = ctx.stateMachines.getAlias(arn);
  if (!alias) throw resourceNotFound();
  return alias;
}

function requiredRouting(ctx: ApiContext, body: Body): ReturnType<typeof readRouting> {
  const items = optionalArray(body, "routingConfiguration");
  if (items === undefined) throw validationError("routingConfiguration", undefined, "Member must not be null");
  return readRouting(ctx, items);
}

const byName = (a: AliasEntry, b: AliasEntry): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export const aliasActions: ActionTable = {
  /** Idempotent: the same name, description and routing answer the existing alias; a different one is a ConflictException. */
  CreateStateMachineAlias(body, ctx) {
    const name = requiredString(body, "name", 80);
    if (!ALIAS_NAME.test(name)) throw validationError("name", name, `Member must satisfy regular expression pattern: ${ALIAS_NAME_PATTERN}`);
    const description = optionalString(body, "description", 256);
    const { routes, stateMachineArn } = requiredRouting(ctx, body);
    const arn = `${stateMachineArn}:${name}`;
    const existing = ctx.stateMachines.getAlias(arn);
    if (existing) {
      if (existing.description !== description || !sameRouting(existing.routingConfiguration, routes)) {
        throw new ApiError("ConflictException", "Failed to create alias because an alias with the same name and a different routing configuration already exists.");
      }
      return { stateMachineAliasArn: arn, creationDate: epochSeconds(existing.creationDate) };
    }
    const now = ctx.engine.clock.now();
    ctx.stateMachines.putAlias({ arn, name, stateMachineArn, routingConfiguration: routes, creationDate: now, ...(description !== undefined ? { description } : {}) });
    return { stateMachineAliasArn: arn, creationDate: epochSeconds(now) };
  },

  DescribeStateMachineAlias(body, ctx) {
    const alias = aliasOrThrow(ctx, requiredString(body, "stateMachineAliasArn", 256));
    return {
      stateMachineAliasArn: alias.arn,
      name: alias.name,
      ...(alias.description !== undefined ? { description: alias.description } : {}),
      routingConfiguration: alias.routingConfiguration,
      creationDate: epochSeconds(alias.creationDate),
      // "For a newly created state machine, this is the same as the creation date."
      updateDate: epochSeconds(alias.updateDate ?? alias.creationDate),
    };
  },

  /** A new description and/or routing (to versions of the same state machine); the same ones change nothing. */
  UpdateStateMachineAlias(body, ctx) {
    const alias = aliasOrThrow(ctx, requiredString(body, "stateMachineAliasArn", 256));
    const description = optionalString(body, "description", 256);
    const items = optionalArray(body, "routingConfiguration");
    if (description === undefined && items === undefined) throw validation("Either the description or the routingConfiguration must be specified");
    const routing = items !== undefined ? readRouting(ctx, items) : undefined;
    if (routing && routing.stateMachineArn !== alias.stateMachineArn) {
      throw validation(`Routing configuration must contain versions of the same state machine. Received: [${routing.routes.map((r) => r.stateMachineVersionArn).join(", ")}]`);
    }
    const routes = routing?.routes ?? alias.routingConfiguration;
    const unchanged = (description === undefined || description === alias.description) && sameRouting(routes, alias.routingConfiguration);
    if (unchanged) return { updateDate: epochSeconds(alias.updateDate ?? alias.creationDate) };
    const now = ctx.engine.clock.now();
    ctx.stateMachines.putAlias({ ...alias, routingConfiguration: routes, updateDate: now, ...(description !== undefined ? { description } : {}) });
    return { updateDate: epochSeconds(now) };
  },

  /** Versions it routed to stay; an alias that is not there is no error (as AWS answers). */
  DeleteStateMachineAlias(body, ctx) {
    const arn = requiredString(body, "stateMachineAliasArn", 256);
    if (parseStateMachineArn(arn).kind !== "alias") throw invalidArn(arn);
    ctx.stateMachines.deleteAlias(arn);
    return {};
  },

  /** A state machine's aliases, or with a version ARN the aliases that route to that version; by name. */
  ListStateMachineAliases(body, ctx) {
    const arn = requiredString(body, "stateMachineArn", 256);
    const ref = parseStateMachineArn(arn);
    let aliases: AliasEntry[];
    if (ref.kind === "stateMachine") {
      if (!ctx.stateMachines.get(arn)) throw stateMachineDoesNotExist(arn);
      aliases = ctx.stateMachines.aliases(arn);
    } else if (ref.kind === "version") {
      if (!ctx.stateMachines.getVersion(arn)) throw resourceNotFound();
      aliases = ctx.stateMachines.aliases(ref.stateMachineArn).filter((a) => a.routingConfiguration.some((r) => r.stateMachineVersionArn === arn));
    } else {
      throw invalidArn(arn);
    }
    const page = paginate(body, aliases.sort(byName), `ListStateMachineAliases ${arn}`);
    return {
      stateMachineAliases: page.items.map((a) => ({ stateMachineAliasArn: a.arn, creationDate: epochSeconds(a.creationDate) })),
      ...(page.nextToken !== undefined ? { nextToken: page.nextToken } : {}),
    };
  },
};
