import { describe, expect, it } from 'vitest';
import { DEFAULT_FLAGS, parseFlags } from './flags.js';

describe('parseFlags', () => {
  it('defaults to the standard socket, the local images and 10.88.0.0/16', () => {
    expect(parseFlags([])).toEqual({
      listen: 'unix:///run/tkube/cri-fake.sock',
      images: ['busybox:1.35', 'busybox:latest', 'tkube/pause:3.10'],
      podCidr: '10.88.0.0/16',
      logLevel: 'info',
    });
  });

  it('reads every flag, the image list comma-separated', () => {
    const flags = parseFlags([
      '--listen',
      'unix:///tmp/x.sock',
      '--images',
      'a:1, b:2,,',
      '--pod-cidr',
      '10.244.7.0/24',
      '--log-level',
      'debug',
    ]);
    expect(flags).toEqual({
      listen: 'unix:///tmp/x.sock',
      images: ['a:1', 'b:2'],
      podCidr: '10.244.7.0/24',
      logLevel: 'debug',
    });
  });

  it('takes an empty image list as no image at all, without touching the defaults', () => {
    expect(parseFlags(['--images', '']).images).toEqual([]);
    expect(DEFAULT_FLAGS.images).toHaveLength(3);
  });

  it('refuses an unknown flag', () => {
    expect(() => parseFlags(['--docker-socket', '/x'])).toThrow();
  });
});
