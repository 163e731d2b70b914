/**
 * Command-line flags of tkube-cri-fake. Anything unknown or malformed is a FlagError naming
 * the flag.
 */

import { commaList, type LogLevel, logLevel, parseCommandLine } from '@tkube/process';
import { DEFAULT_POD_CIDR } from './ip-pool.js';
import { DEFAULT_IMAGES } from './start.js';

export interface CriFakeFlags {
  /** The CRI endpoint to serve: `unix:///run/tkube/cri-fake.sock` or a path. */
  listen: string;
  /** Images that exist from the start. */
  images: string[];
  /** Where fake pod IPs come from; give each simulated node its own podCIDR. */
  podCidr: string;
  logLevel: LogLevel;
}

export const DEFAULT_FLAGS: CriFakeFlags = {
  listen: 'unix:///run/tkube/cri-fake.sock',
  images: DEFAULT_IMAGES,
  podCidr: DEFAULT_POD_CIDR,
  logLevel: 'info',
};

/** The image list is comma-separated; an empty value means no image at all. */
export function parseFlags(argv: readonly string[]): CriFakeFlags {
  const values = parseCommandLine(argv, {
    listen: { type: 'string' },
    images: { type: 'string' },
    'pod-cidr': { type: 'string' },
    'log-level': { type: 'string' },
  });
  return {
    listen: values.listen ?? DEFAULT_FLAGS.listen,
    images: values.images === undefined ? [...DEFAULT_FLAGS.images] : commaList(values.images),
    podCidr: values['pod-cidr'] ?? DEFAULT_FLAGS.podCidr,
    logLevel: values['log-level'] === undefined ? DEFAULT_FLAGS.logLevel : logLevel('--log-level', values['log-level']),
  };
}
