/** Statuses the plugins share; kube's framework.AsStatus is an Error with the message. */
import type { PluginStatus } from '../../framework/types.js';

export function errorStatus(message: string): PluginStatus {
  return { code: 'Error', reasons: [message] };
}

/** PreFilter/PreScore: "nothing for this plugin to do for this pod", so its Filter/Score can be skipped. */
export const SKIP: PluginStatus = Object.freeze({ code: 'Skip', reasons: [] }) as PluginStatus;

export function missingState(key: string): PluginStatus {
  return errorStatus(`reading "${key}" from cycleState: not found`);
}
