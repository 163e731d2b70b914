/**
 * Removes every Docker container of a node: its pods' sandboxes and containers, found by
 * the label cri-docker puts on each (`io.tkube.cri.instance=<node>@<bridge>`), so another
 * cluster's or a user's containers on the same engine are never touched.
 */
import { type HostCommands, isNotInstalled, runChecked } from './host-commands.js';

export const INSTANCE_LABEL = 'io.tkube.cri.instance';
const DOCKER = 'docker';

export function listContainersArgs(instance: string): string[] {
  return ['ps', '--all', '--quiet', '--no-trunc', '--filter', `label=${INSTANCE_LABEL}=${instance}`];
}

export function removeContainersArgs(ids: readonly string[]): string[] {
  return ['rm', '--force', '--volumes', ...ids];
}

/** Answers what was done, for the step's line. */
export async function removeNodeContainers(commands: HostCommands, instance: string): Promise<string> {
  let listed: string;
  try {
    listed = await runChecked(commands, DOCKER, listContainersArgs(instance));
  } catch (error) {
    // No docker CLI: no Docker engine this tool could have used either.
    if (isNotInstalled(error)) return 'docker is not installed: none';
    throw error;
  }
  const ids = listed
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  if (ids.length === 0) return 'none left';
  await runChecked(commands, DOCKER, removeContainersArgs(ids));
  return `${ids.length} removed`;
}
