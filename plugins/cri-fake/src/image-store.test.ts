import { describe, expect, it } from 'vitest';
import { ImageStore, imageMessageOf, normalizeReference } from './image-store.js';

describe('normalizeReference', () => {
  it('spells references as Docker shows them', () => {
    expect(normalizeReference('busybox')).toBe('busybox:latest');
    expect(normalizeReference('docker.io/library/busybox:1.35')).toBe('busybox:1.35');
    expect(normalizeReference('library/busybox')).toBe('busybox:latest');
    expect(normalizeReference('registry.local:5000/team/app')).toBe('registry.local:5000/team/app:latest');
    expect(normalizeReference('tkube/pause:3.10')).toBe('tkube/pause:3.10');
    expect(normalizeReference(`busybox@sha256:${'a'.repeat(64)}`)).toBe(`busybox@sha256:${'a'.repeat(64)}`);
  });

  it('refuses an empty reference', () => {
    expect(() => normalizeReference('  ')).toThrow(/image reference is required/);
  });
});

describe('ImageStore', () => {
  it('finds a present image by tag, by any spelling of it, by id and by digest', () => {
    const store = new ImageStore(['busybox:1.35']);
    const image = store.find('docker.io/library/busybox:1.35');
    expect(image?.repoTags).toEqual(['busybox:1.35']);
    expect(image?.id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(store.find(image?.id ?? '')).toBe(image);
    expect(store.find(image?.repoDigests[0] ?? '')).toBe(image);
    expect(store.find('busybox:latest')).toBeUndefined();
  });

  it('pulls any image from the fake registry, idempotently', () => {
    const store = new ImageStore();
    const pulled = store.pull('nginx:1.27');
    expect(store.find('nginx:1.27')).toBe(pulled);
    expect(store.pull('docker.io/nginx:1.27')).toBe(pulled);
    expect(store.list()).toHaveLength(1);
  });

  it('fails the pull of an image whose name contains "doesnotexist" with NotFound', () => {
    const store = new ImageStore();
    expect(() => store.pull('example.com/doesnotexist:1')).toThrow(
      expect.objectContaining({ reason: 'NotFound', message: expect.stringContaining('doesnotexist') }),
    );
    expect(store.list()).toEqual([]);
  });

  it('removes an image under every name, and a missing image without error', () => {
    const store = new ImageStore(['busybox:1.35', 'busybox:latest']);
    const id = store.find('busybox:1.35')?.id ?? '';
    store.remove(id);
    expect(store.find('busybox:1.35')).toBeUndefined();
    expect(store.list().map((image) => image.repoTags[0])).toEqual(['busybox:latest']);
    expect(() => store.remove('busybox:1.35')).not.toThrow();
  });

  it('lists all images or the one a filter names', () => {
    const store = new ImageStore(['busybox:1.35', 'busybox:latest']);
    expect(store.list()).toHaveLength(2);
    expect(store.list('busybox').map((image) => image.repoTags)).toEqual([['busybox:latest']]);
    expect(store.list('alpine')).toEqual([]);
  });

  it('pins the pause image only, and counts usage', () => {
    const store = new ImageStore(['busybox:1.35', 'tkube/pause:3.10']);
    const pinned = store
      .list()
      .filter((image) => imageMessageOf(image).pinned)
      .map((image) => image.repoTags[0]);
    expect(pinned).toEqual(['tkube/pause:3.10']);
    const usage = store.fsUsage(1n);
    expect(usage.inodesUsed?.value).toBe(2n);
    expect(usage.usedBytes?.value).toBeGreaterThan(0n);
  });
});
