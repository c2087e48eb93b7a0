/** Tags in memory. */
import type { Tag, TagRegistry } from "./tag-registry.js";

export class MemoryTagRegistry implements TagRegistry {
  list(_resourceArn: string): readonly Tag[] {
    return [];
  }
  tag(_resourceArn: string, _tags: readonly Tag[]): void {}
  untag(_resourceArn: string, _keys: readonly string[]): void {}
  forget(_resourceArn: string): void {}
}
