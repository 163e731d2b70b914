/**
 * When a pod on a node with NoExecute taints must go (kube's taint manager): at once if a
 * taint is not tolerated, after the smallest tolerationSeconds among the tolerations that
 * match, never if every taint is tolerated forever. A pod with no toleration for the
 * not-ready/unreachable taints is treated as having one for `defaultSeconds` (what the
 * DefaultTolerationSeconds admission plugin adds, 300 s unless shortened).
 */
import type { Pod } from '@tkube/api';
import { NOT_READY_TAINT, type Taint, tolerates, UNREACHABLE_TAINT } from './taints.js';

/** Seconds after the taints appeared when the pod is evicted; undefined: never. */
export function evictionDelaySeconds(pod: Pod, taints: readonly Taint[], defaultSeconds: number): number | undefined {
  let delay: number | undefined;
  for (const taint of taints) {
    if (taint.effect !== 'NoExecute') continue;
    const matching = (pod.spec?.tolerations ?? []).filter((t) => tolerates(t, taint));
    let seconds: number | undefined;
    if (matching.length === 0) {
      if (taint.key !== NOT_READY_TAINT && taint.key !== UNREACHABLE_TAINT) return 0;
      seconds = defaultSeconds;
    } else if (matching.every((t) => t.tolerationSeconds !== undefined && t.tolerationSeconds !== null)) {
      seconds = Math.max(0, Math.min(...matching.map((t) => t.tolerationSeconds ?? 0)));
    } else {
      // Some toleration holds forever: this taint never evicts the pod.
      continue;
    }
    delay = delay === undefined ? seconds : Math.min(delay, seconds);
  }
  return delay;
}
