/**
 * Tags on state machines and activities (TagResource/UntagResource/ListTagsForResource).
 * https://docs.aws.amazon.com/step-functions/latest/dg/sfn-best-practices.html#concepts-tagging
 */
export interface Tag {
  readonly key: string;
  readonly value: string;
}

export interface TagRegistry {
  /** A resource's tags, in the order their keys were first set. */
  list(resourceArn: string): readonly Tag[];
  /** Adds or replaces by key. */
  tag(resourceArn: string, tags: readonly Tag[]): void;
  /** Removes these keys; keys the resource does not have are ignored. */
  untag(resourceArn: string, keys: readonly string[]): void;
  /** Drops every tag of a deleted resource. */
  forget(resourceArn: string): void;
}
