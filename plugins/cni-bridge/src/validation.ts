/**
 * Checks of every argument that reaches a command line or a file name. The commands run
 * without a shell, so the danger is not injection into a shell but an argument that `ip`
 * or `iptables` would read as an option ("-force") or a keyword, or a path that escapes
 * the state directory. Each check allows exactly what CNI SPEC.md allows, and no more.
 */
import { NetworkPluginError } from '@tkube/api/cni';

/** CNI SPEC.md: alphanumerics plus '_', '.', '-', starting with an alphanumeric. */
const CONTAINER_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
// Runtimes use 64 hex digits; the cap keeps the iptables comment naming the id under its 256 bytes.
const MAX_CONTAINER_ID_LENGTH = 200;

/** Linux interface names: at most 15 bytes (IFNAMSIZ - 1); no '/', ':' or whitespace. */
const INTERFACE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/;

/** Absolute, no '..', no spaces or shell-ish characters: "/proc/42/ns/net", "/var/run/netns/x". */
const NETNS_PATH = /^(\/[A-Za-z0-9_.-]+)+$/;
const MAX_NETNS_PATH_LENGTH = 4095;

const MAX_ARGS = 64;
const MAX_ARG_LENGTH = 1024;
const ARG_KEY = /^[A-Za-z0-9_.-]+$/;

export function validateContainerId(containerId: string): void {
  if (containerId.length === 0) throw NetworkPluginError.invalidArguments('the container id is required');
  if (containerId.length > MAX_CONTAINER_ID_LENGTH || !CONTAINER_ID.test(containerId)) {
    throw NetworkPluginError.invalidArguments(
      `invalid container id ${JSON.stringify(truncate(containerId))}: must be at most ${MAX_CONTAINER_ID_LENGTH} ` +
        "alphanumerics, '_', '.' or '-', starting with an alphanumeric",
    );
  }
}

export function validateInterfaceName(name: string, what = 'interface name'): void {
  if (!INTERFACE_NAME.test(name) || name === '.' || name === '..') {
    throw NetworkPluginError.invalidArguments(
      `invalid ${what} ${JSON.stringify(truncate(name))}: must be 1 to 15 alphanumerics, '_', '.' or '-', ` +
        'starting with an alphanumeric',
    );
  }
}

export function validateNetnsPath(path: string): void {
  const segments = path.split('/');
  if (
    path.length > MAX_NETNS_PATH_LENGTH ||
    !NETNS_PATH.test(path) ||
    segments.includes('.') ||
    segments.includes('..')
  ) {
    throw NetworkPluginError.invalidArguments(
      `invalid network namespace path ${JSON.stringify(truncate(path))}: must be an absolute path without '.' or '..'`,
    );
  }
}

/** CNI_ARGS only reach logs and the state files' neighbours, but a runaway caller must not flood them. */
export function validateArgs(args: Readonly<Record<string, string>>): void {
  const entries = Object.entries(args);
  if (entries.length > MAX_ARGS) throw NetworkPluginError.invalidArguments(`too many CNI args (at most ${MAX_ARGS})`);
  for (const [key, value] of entries) {
    if (!ARG_KEY.test(key) || key.length > MAX_ARG_LENGTH || value.length > MAX_ARG_LENGTH) {
      throw NetworkPluginError.invalidArguments(`invalid CNI arg ${JSON.stringify(truncate(key))}`);
    }
  }
}

function truncate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}...` : text;
}
