/** Tags written through to the store's documents: one document per tagged resource. */
import type { DocumentWrites } from "./document-writes.js";
import { MemoryTagRegistry } from "./memory-tags.js";
import { tagsDocument } from "./registry-documents.js";
import type { Tag } from "./tag-registry.js";

export class StoredTagRegistry extends MemoryTagRegistry {
  constructor(private readonly writes: DocumentWrites) {
    super();
  }

  override tag(resourceArn: string, tags: readonly Tag[]): void {
    super.tag(resourceArn, tags);
    this.save(resourceArn);
  }

  override untag(resourceArn: string, keys: readonly string[]): void {
    super.untag(resourceArn, keys);
    this.save(resourceArn);
  }

  override forget(resourceArn: string): void {
    const had = this.list(resourceArn).length > 0;
    super.forget(resourceArn);
    if (had) this.save(resourceArn);
  }

  /** Puts a resource's tags back as the store has them; writes nothing. */
  restore(resourceArn: string, tags: readonly Tag[]): void {
    super.forget(resourceArn);
    if (tags.length > 0) super.tag(resourceArn, tags);
  }

  private save(resourceArn: string): void {
    this.writes.save("tags", resourceArn, () => tagsDocument.encode(this.list(resourceArn)));
  }
}
