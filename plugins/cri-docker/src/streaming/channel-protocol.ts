/**
 * The Kubernetes remote command channel protocol over WebSocket (`v4.channel.k8s.io`,
 * `v5.channel.k8s.io`): every binary message starts with a channel byte. The error channel
 * ends a session with a metav1.Status; v5 adds channel 255, by which the client closes one
 * of its streams (stdin) without closing the connection.
 */

export const CHANNEL = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;

export const V5_PROTOCOL = 'v5.channel.k8s.io';
export const V4_PROTOCOL = 'v4.channel.k8s.io';
/** In order of preference when a client offers several. */
export const SUPPORTED_PROTOCOLS = [V5_PROTOCOL, V4_PROTOCOL] as const;

export function supportsStreamClose(protocol: string): boolean {
  return protocol === V5_PROTOCOL;
}

export function channelMessage(channel: number, data: Buffer | string): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data) : data;
  return Buffer.concat([Buffer.from([channel]), body]);
}

export interface TerminalSize {
  width: number;
  height: number;
}

/** `{"Width":80,"Height":24}` from the resize channel; undefined when malformed. */
export function parseTerminalSize(data: Buffer): TerminalSize | undefined {
  try {
    const parsed = JSON.parse(data.toString('utf8')) as { Width?: unknown; Height?: unknown };
    const width = Number(parsed.Width);
    const height = Number(parsed.Height);
    if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) return undefined;
    return { width, height };
  } catch {
    return undefined;
  }
}

export function successStatus(): string {
  return JSON.stringify({ metadata: {}, status: 'Success' });
}

/** What the kubelet's streaming server writes for a command that exited nonzero. */
export function exitCodeStatus(exitCode: number, cmd: string[]): string {
  return JSON.stringify({
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${cmd.join(' ')}], exit code ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  });
}

export function internalErrorStatus(message: string): string {
  return JSON.stringify({
    metadata: {},
    status: 'Failure',
    message: `Internal error occurred: ${message}`,
    reason: 'InternalError',
    details: { causes: [{ message }] },
    code: 500,
  });
}
