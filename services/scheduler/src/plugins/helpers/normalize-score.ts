/**
 * helper.DefaultNormalizeScore: maps scores from [0, max] to [0, maxPriority] with integer
 * division, or reversed (maxPriority - score) for "fewer is better" counts. When every score
 * is 0 the plain form leaves them and the reversed form gives every node maxPriority.
 */
import type { NodeScore } from '../../framework/types.js';

export function defaultNormalizeScore(maxPriority: number, reverse: boolean, scores: NodeScore[]): void {
  let maxCount = 0;
  for (const entry of scores) if (entry.score > maxCount) maxCount = entry.score;
  if (maxCount === 0) {
    if (reverse) for (const entry of scores) entry.score = maxPriority;
    return;
  }
  for (const entry of scores) {
    const scaled = Math.trunc((maxPriority * entry.score) / maxCount);
    entry.score = reverse ? maxPriority - scaled : scaled;
  }
}
