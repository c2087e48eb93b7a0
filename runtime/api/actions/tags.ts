/**
 * TagResource, UntagResource, ListTagsForResource: tags on state machines and activities
 * (not on versions or aliases: AWS answers ResourceNotFound for those). At most 50 a resource.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_TagResource.html
 */
import type { Tag } from "../../control/tag-registry.js";
import type { ActionTable, ApiContext } from "../context.js";
import { ApiError, invalidArn, validationError } from "../errors.js";
import { optionalArray, requiredString, type Body } from "../fields.js";

export const MAX_TAGS = 50;
const MAX_KEY_LENGTH = 128;
const MAX_VALUE_LENGTH = 256;
const STATES_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:.+$/;

/** Errors that name the resource, as AWS's TooManyTags and ResourceNotFound do (`resourceName`). */
class ResourceError extends ApiError {
  constructor(code: string, message: string, private readonly resourceName: string) {
    super(code, message);
  }

  override body(): { __type: string; message: string; resourceName: string } {
    return { ...super.body(), resourceName: this.resourceName };
  }
}

/** The `tags` of CreateStateMachine, CreateActivity and TagResource; a value left out is "". */
export function readTags(body: Body): Tag[] {
  const tags = optionalArray(body, "tags") ?? [];
  return tags.map((t, i) => {
    const tag = (t ?? {}) as Record<string, unknown>;
    const key = tag["key"];
    const value = typeof tag["value"] === "string" ? tag["value"] : "";
    const at = `tags.${i + 1}.member`;
    if (typeof key !== "string" || key.length === 0) throw validationError(`${at}.key`, key, "Member must not be null");
    if (key.length > MAX_KEY_LENGTH) throw validationError(`${at}.key`, key, `Member must have length less than or equal to ${MAX_KEY_LENGTH}`);
    if (value.length > MAX_VALUE_LENGTH) throw validationError(`${at}.value`, value, `Member must have length less than or equal to ${MAX_VALUE_LENGTH}`);
    return { key, value };
  });
}

/** TooManyTags when `resourceArn` would carry more than 50 tags after adding `added`. */
export function checkTagCount(ctx: ApiContext, resourceArn: string, added: readonly Tag[]): void {
  const keys = new Set([...ctx.tags.list(resourceArn).map((t) => t.key), ...added.map((t) => t.key)]);
  if (keys.size > MAX_TAGS) {
    throw new ResourceError("TooManyTags", `Too many tags: a resource can have at most ${MAX_TAGS} tags, this request would leave ${keys.size}`, resourceArn);
  }
}

/** A state machine or activity ARN that exists; InvalidArn or ResourceNotFound otherwise. */
function taggableOrThrow(ctx: ApiContext, body: Body): string {
  const arn = requiredString(body, "resourceArn", 256);
  if (!STATES_ARN.test(arn)) throw invalidArn(arn);
  if (!ctx.stateMachines.get(arn) && !ctx.activities.get(arn)) throw new ResourceError("ResourceNotFound", `Resource not found: '${arn}'`, arn);
  return arn;
}

function readTagKeys(body: Body): string[] {
  const keys = optionalArray(body, "tagKeys");
  if (keys === undefined) throw validationError("tagKeys", undefined, "Member must not be null");
  return keys.map((k, i) => {
    if (typeof k !== "string") throw validationError(`tagKeys.${i + 1}.member`, k, "Member must not be null");
    if (k.length === 0 || k.length > MAX_KEY_LENGTH) {
      throw validationError(`tagKeys.${i + 1}.member`, k, `Member must have length between 1 and ${MAX_KEY_LENGTH}`);
    }
    return k;
  });
}

export const tagActions: ActionTable = {
  TagResource(body, ctx) {
    const arn = taggableOrThrow(ctx, body);
    if (optionalArray(body, "tags") === undefined) throw validationError("tags", undefined, "Member must not be null");
    const tags = readTags(body);
    checkTagCount(ctx, arn, tags);
    ctx.tags.tag(arn, tags);
    return {};
  },

  UntagResource(body, ctx) {
    const arn = taggableOrThrow(ctx, body);
    ctx.tags.untag(arn, readTagKeys(body));
    return {};
  },

  ListTagsForResource(body, ctx) {
    const arn = taggableOrThrow(ctx, body);
    return { tags: ctx.tags.list(arn) };
  },
};
