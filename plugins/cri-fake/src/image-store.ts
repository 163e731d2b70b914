/**
 * The fake node's images. The fake "registry" has every image, except one whose name
 * contains "doesnotexist", so the kubelet's ErrImagePull path is testable. Lookups by tag,
 * digest or id are one map read.
 */

import { createHash } from 'node:crypto';
import type { FilesystemUsage, Image } from '@tkube/api/cri';
import { invalidArgument, notFound } from './errors.js';

/** Names containing this are missing from the fake registry. */
export const MISSING_IMAGE_MARKER = 'doesnotexist';
/** Every fake image weighs the same: about a busybox-static image. */
const IMAGE_SIZE_BYTES = 1_310_720n;
export const IMAGE_FS_MOUNTPOINT = '/var/lib/tkube/cri-fake/images';

export interface FakeImage {
  /** `sha256:<64 hex>`, derived from the name it was first known by. */
  id: string;
  repoTags: string[];
  repoDigests: string[];
  size: bigint;
}

const ID_PATTERN = /^sha256:[0-9a-f]{64}$/;

/**
 * The canonical spelling of a reference, as Docker shows it: the default registry and
 * `library/` dropped, `:latest` added when neither a tag nor a digest is given.
 */
export function normalizeReference(reference: string): string {
  let name = reference.trim();
  if (!name) throw invalidArgument('an image reference is required');
  if (ID_PATTERN.test(name)) return name;
  for (const prefix of ['docker.io/library/', 'index.docker.io/library/', 'docker.io/', 'index.docker.io/']) {
    if (name.startsWith(prefix)) {
      name = name.slice(prefix.length);
      break;
    }
  }
  if (name.startsWith('library/')) name = name.slice('library/'.length);
  if (name.includes('@')) return name;
  const lastSegment = name.slice(name.lastIndexOf('/') + 1);
  return lastSegment.includes(':') ? name : `${name}:latest`;
}

function repositoryOf(normalized: string): string {
  const at = normalized.indexOf('@');
  if (at >= 0) return normalized.slice(0, at);
  const colon = normalized.lastIndexOf(':');
  return colon > normalized.lastIndexOf('/') ? normalized.slice(0, colon) : normalized;
}

function digestOf(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** The sandbox (pause) image is pinned, so the kubelet's image GC never removes it. */
function isPinned(image: FakeImage): boolean {
  return image.repoTags.some((tag) => {
    const repository = repositoryOf(tag);
    return repository.slice(repository.lastIndexOf('/') + 1) === 'pause';
  });
}

export function imageMessageOf(image: FakeImage): Image {
  return {
    id: image.id,
    repoTags: image.repoTags,
    repoDigests: image.repoDigests,
    size: image.size,
    username: '',
    spec: { image: image.id, annotations: {}, userSpecifiedImage: '' },
    pinned: isPinned(image),
  };
}

export class ImageStore {
  /** Tags, digests and ids -> image. */
  private readonly byReference = new Map<string, FakeImage>();
  private readonly images = new Set<FakeImage>();

  constructor(present: readonly string[] = []) {
    for (const reference of present) this.add(reference);
  }

  /** The image a reference (tag, digest or id) names, if present. */
  find(reference: string): FakeImage | undefined {
    return this.byReference.get(normalizeReference(reference));
  }

  /** Pulls from the fake registry: present images answer at once, missing ones are added. */
  pull(reference: string): FakeImage {
    const normalized = normalizeReference(reference);
    const present = this.byReference.get(normalized);
    if (present) return present;
    if (normalized.includes(MISSING_IMAGE_MARKER)) {
      throw notFound('image', `${reference}: pull access denied, repository does not exist`);
    }
    return this.add(reference);
  }

  /** Removes the image under all its names; a missing image is success. */
  remove(reference: string): void {
    const image = this.find(reference);
    if (!image) return;
    this.images.delete(image);
    for (const name of [image.id, ...image.repoTags, ...image.repoDigests]) this.byReference.delete(name);
  }

  /** Every image, or the one a reference names. */
  list(reference?: string): FakeImage[] {
    if (reference) {
      const image = this.find(reference);
      return image ? [image] : [];
    }
    return [...this.images];
  }

  fsUsage(timestamp: bigint): FilesystemUsage {
    let used = 0n;
    for (const image of this.images) used += image.size;
    return {
      timestamp,
      fsId: { mountpoint: IMAGE_FS_MOUNTPOINT },
      usedBytes: { value: used },
      inodesUsed: { value: BigInt(this.images.size) },
    };
  }

  private add(reference: string): FakeImage {
    const normalized = normalizeReference(reference);
    const existing = this.byReference.get(normalized);
    if (existing) return existing;
    const id = ID_PATTERN.test(normalized) ? normalized : digestOf(normalized);
    const byDigest = normalized.includes('@');
    const image: FakeImage = {
      id,
      repoTags: byDigest ? [] : [normalized],
      repoDigests: [byDigest ? normalized : `${repositoryOf(normalized)}@${id}`],
      size: IMAGE_SIZE_BYTES,
    };
    this.images.add(image);
    for (const name of [image.id, ...image.repoTags, ...image.repoDigests]) this.byReference.set(name, image);
    return image;
  }
}
