/** The CNI specification versions this plugin speaks, and the choice of one per call. */
import { NetworkPluginError } from '@tkube/api/cni';

export const SUPPORTED_CNI_VERSIONS: readonly string[] = ['1.0.0', '1.1.0'];
export const NEWEST_CNI_VERSION = '1.1.0';

/** The version to answer in: the caller's, or the newest when the caller named none. */
export function negotiateCniVersion(requested: string): string {
  if (requested === '') return NEWEST_CNI_VERSION;
  if (!SUPPORTED_CNI_VERSIONS.includes(requested)) {
    throw NetworkPluginError.incompatibleVersion(requested, SUPPORTED_CNI_VERSIONS);
  }
  return requested;
}
