/** Tags in memory: per resource, key → value in the order keys were first set. */
import type { Tag, TagRegistry } from "./tag-registry.js";

export class MemoryTagRegistry implements TagRegistry {
  private readonly byResource = new Map<string, Map<string, string>>();

  list(resourceArn: string): readonly Tag[] {
    return [...(this.byResource.get(resourceArn) ?? [])].map(([key, value]) => ({ key, value }));
  }

  tag(resourceArn: string, tags: readonly Tag[]): void {
    const current = this.byResource.get(resourceArn) ?? new Map<string, string>();
    for (const { key, value } of tags) current.set(key, value);
    this.byResource.set(resourceArn, current);
  }

  untag(resourceArn: string, keys: readonly string[]): void {
    const current = this.byResource.get(resourceArn);
    if (!current) return;
    for (const key of keys) current.delete(key);
    if (current.size === 0) this.byResource.delete(resourceArn);
  }

  forget(resourceArn: string): void {
    this.byResource.delete(resourceArn);
  }

  /** Every resource that has tags. */
  resources(): string[] {
    return [...this.byResource.keys()];
  }
}
