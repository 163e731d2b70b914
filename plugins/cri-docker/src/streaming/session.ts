/**
 * One exec or attach session: the WebSocket (channel protocol) on one side, Docker's
 * hijacked stream on the other. Output flows to the stdout/stderr channels, stdin and
 * terminal resizes flow in, and the session ends with a Status on the error channel.
 */

import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { DockerEngine } from '../docker/engine.js';
import { waitForExitCode } from '../exec-sync.js';
import { FrameDemuxer } from '../logs/docker-frames.js';
import {
  CHANNEL,
  channelMessage,
  exitCodeStatus,
  internalErrorStatus,
  parseTerminalSize,
  successStatus,
  supportsStreamClose,
} from './channel-protocol.js';
import type { WebSocketConnection } from './websocket.js';

interface StreamFlags {
  containerId: string;
  tty: boolean;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
}

export type StreamRequest = (StreamFlags & { kind: 'exec'; cmd: string[] }) | (StreamFlags & { kind: 'attach' });

interface DockerSide {
  stream: Duplex;
  resize(width: number, height: number): Promise<void>;
  /** The Status JSON that ends the session. */
  finalStatus(): Promise<string>;
}

async function openDockerSide(engine: DockerEngine, request: StreamRequest): Promise<DockerSide> {
  if (request.kind === 'exec') {
    const handle = await engine.exec(request.containerId, {
      cmd: request.cmd,
      tty: request.tty,
      stdin: request.stdin,
      stdout: request.stdout,
      stderr: request.stderr && !request.tty,
    });
    return {
      stream: handle.stream,
      resize: (width, height) => handle.resize(width, height),
      finalStatus: async () => {
        const code = await waitForExitCode(handle);
        return code === 0 ? successStatus() : exitCodeStatus(code, request.cmd);
      },
    };
  }
  const stream = await engine.attach(request.containerId, {
    stdin: request.stdin,
    stdout: request.stdout,
    stderr: request.stderr && !request.tty,
  });
  return {
    stream,
    resize: (width, height) => engine.resizeContainer(request.containerId, width, height),
    finalStatus: async () => successStatus(),
  };
}

export async function runSession(
  engine: DockerEngine,
  connection: WebSocketConnection,
  protocol: string,
  request: StreamRequest,
  logger: Logger,
): Promise<void> {
  let docker: DockerSide;
  try {
    docker = await openDockerSide(engine, request);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    connection.send(channelMessage(CHANNEL.error, internalErrorStatus(message)));
    connection.close();
    return;
  }
  const { stream } = docker;

  // The kubelet's streaming server announces the session with an empty message on the
  // lowest channel the client reads.
  const firstChannel = request.stdout ? CHANNEL.stdout : request.stderr ? CHANNEL.stderr : CHANNEL.error;
  connection.send(channelMessage(firstChannel, Buffer.alloc(0)));

  const demuxer = new FrameDemuxer();
  stream.on('data', (chunk: Buffer) => {
    if (request.tty) {
      connection.send(channelMessage(CHANNEL.stdout, chunk));
      return;
    }
    for (const frame of demuxer.push(chunk)) {
      const channel = frame.stream === 'stderr' ? CHANNEL.stderr : CHANNEL.stdout;
      connection.send(channelMessage(channel, frame.payload));
    }
  });

  connection.onMessage(({ data }) => {
    if (!data.length) return;
    const channel = data[0];
    const body = data.subarray(1);
    if (channel === CHANNEL.stdin && request.stdin) {
      stream.write(body);
    } else if (channel === CHANNEL.resize && request.tty) {
      const size = parseTerminalSize(body);
      if (size) {
        docker.resize(size.width, size.height).catch((err: unknown) => logger.debug({ err }, 'resize failed'));
      }
    } else if (channel === CHANNEL.close && supportsStreamClose(protocol) && body[0] === CHANNEL.stdin) {
      // Half-close: the process sees end of input, its output keeps flowing.
      stream.end();
    }
  });

  connection.onClose(() => stream.destroy());

  await new Promise<void>((resolve) => {
    stream.once('end', resolve);
    stream.once('close', resolve);
    stream.once('error', (err: Error) => {
      logger.debug({ err }, 'docker stream failed');
      resolve();
    });
  });
  if (!connection.isOpen) return;
  let status: string;
  try {
    status = await docker.finalStatus();
  } catch (err) {
    status = internalErrorStatus(err instanceof Error ? err.message : String(err));
  }
  connection.send(channelMessage(CHANNEL.error, status));
  connection.close();
}
