/**
 * Command-line flags of tkube-cri-fake.
 */

import { parseArgs } from 'node:util';
import { DEFAULT_POD_CIDR } from './ip-pool.js';
import { DEFAULT_IMAGES } from './start.js';

export interface CriFakeFlags {
  /** The CRI endpoint to serve: `unix:///run/tkube/cri-fake.sock` or a path. */
  listen: string;
  /** Images that exist from the start. */
  images: string[];
  /** Where fake pod IPs come from; give each simulated node its own podCIDR. */
  podCidr: string;
  logLevel: string;
}

export const DEFAULT_FLAGS: CriFakeFlags = {
  listen: 'unix:///run/tkube/cri-fake.sock',
  images: DEFAULT_IMAGES,
  podCidr: DEFAULT_POD_CIDR,
  logLevel: 'info',
};

/** `a,b, c` -> ['a', 'b', 'c']; an empty value means no image at all. */
function listOf(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

export function parseFlags(argv: string[]): CriFakeFlags {
  const { values } = parseArgs({
    args: argv,
    options: {
      listen: { type: 'string' },
      images: { type: 'string' },
      'pod-cidr': { type: 'string' },
      'log-level': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  return {
    listen: values.listen ?? DEFAULT_FLAGS.listen,
    images: values.images === undefined ? [...DEFAULT_FLAGS.images] : listOf(values.images),
    podCidr: values['pod-cidr'] ?? DEFAULT_FLAGS.podCidr,
    logLevel: values['log-level'] ?? DEFAULT_FLAGS.logLevel,
  };
}
