/** Tags on state machines and activities (TagResource/UntagResource/ListTagsForResource). */
export interface Tag {
  readonly key: string;
  readonly value: string;
}

export interface TagRegistry {
  list(resourceArn: string): readonly Tag[];
  /** Adds or replaces by key. */
  tag(resourceArn: string, tags: readonly Tag[]): void;
  untag(resourceArn: string, keys: readonly string[]): void;
  /** Drops every tag of a deleted resource. */
  forget(resourceArn: string): void;
}
