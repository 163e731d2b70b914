/**
 * Object ids shaped like Docker's and containerd's (64 lowercase hex digits), so code and
 * people that shorten ids to 12 characters or match prefixes work on the fake too.
 */

import { randomBytes } from 'node:crypto';

export function newId(): string {
  return randomBytes(32).toString('hex');
}
