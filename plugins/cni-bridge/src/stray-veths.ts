/**
 * The veths on the bridge that no attachment holds: what a killed runtime, a crash between
 * two steps of an Add, or a whole node going away leaves behind. Gc deletes those outside
 * the attachments it keeps; a teardown deletes them all.
 */
import type { BridgeTeardownHost } from './network-host.js';

/**
 * Deletes every port of the bridge named like the plugin's host ends ("veth...") and not
 * in `expected`; answers the ones deleted. Other ports were put there by someone else.
 */
export async function deleteStrayVeths(
  host: Pick<BridgeTeardownHost, 'bridgePorts' | 'deleteLink'>,
  expected: ReadonlySet<string>,
): Promise<string[]> {
  const deleted: string[] = [];
  for (const port of await host.bridgePorts()) {
    if (!port.startsWith('veth') || expected.has(port)) continue;
    // false: it went meanwhile (its namespace died), which is what was wanted.
    if (await host.deleteLink(port)) deleted.push(port);
  }
  return deleted;
}
