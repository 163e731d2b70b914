/**
 * Command-line flags of tkube-cri-docker. Anything unknown or malformed is a FlagError
 * naming the flag.
 */

import { type LogLevel, logLevel, parseCommandLine } from '@tkube/process';

export interface CriDockerFlags {
  /** The CRI endpoint to serve: `unix:///run/tkube/cri-docker.sock` or a path. */
  listen: string;
  dockerSocket: string;
  pauseImage: string;
  rootDir: string;
  /** host:port of the exec/attach streaming server; loopback, port 0 = any free port. */
  streamingAddress: string;
  /**
   * The runtime instance this process serves: it sees only the containers made under the
   * same name. One per node when several nodes share one Docker engine; "default" when not
   * given, so a plugin started by hand never adopts (and its kubelet never removes) the pods
   * of another cluster's nodes.
   */
  instance: string;
  logLevel: LogLevel;
}

export const DEFAULT_FLAGS: CriDockerFlags = {
  listen: 'unix:///run/tkube/cri-docker.sock',
  dockerSocket: '/var/run/docker.sock',
  pauseImage: 'tkube/pause:3.10',
  rootDir: '/var/lib/tkube/cri-docker',
  streamingAddress: '127.0.0.1:0',
  instance: 'default',
  logLevel: 'info',
};

export function parseFlags(argv: readonly string[]): CriDockerFlags {
  const values = parseCommandLine(argv, {
    listen: { type: 'string' },
    'docker-socket': { type: 'string' },
    'pause-image': { type: 'string' },
    'root-dir': { type: 'string' },
    'streaming-address': { type: 'string' },
    instance: { type: 'string' },
    'log-level': { type: 'string' },
  });
  return {
    listen: values.listen ?? DEFAULT_FLAGS.listen,
    dockerSocket: values['docker-socket'] ?? DEFAULT_FLAGS.dockerSocket,
    pauseImage: values['pause-image'] ?? DEFAULT_FLAGS.pauseImage,
    rootDir: values['root-dir'] ?? DEFAULT_FLAGS.rootDir,
    streamingAddress: values['streaming-address'] ?? DEFAULT_FLAGS.streamingAddress,
    instance: values.instance ?? DEFAULT_FLAGS.instance,
    logLevel: values['log-level'] === undefined ? DEFAULT_FLAGS.logLevel : logLevel('--log-level', values['log-level']),
  };
}
