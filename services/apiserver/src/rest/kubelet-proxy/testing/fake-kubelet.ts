/**
 * For integration tests: a stand-in kubelet on 127.0.0.1 speaking the real one's API with
 * a self-signed certificate. /containerLogs serves a few lines per container (tailLines
 * honoured) or, with follow=true, adds a line every 100 ms until the reader goes;
 * /exec over WebSocket (v5/v4.channel.k8s.io) runs two pretend commands: `cat` echoes
 * stdin to stdout until stdin closes, anything else writes to stdout and stderr and fails
 * with exit code 3; /attach says where it attached and ends. Every request is recorded, with its Authorization header.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { makeCertificate } from '../../testing/test-server.js';

export interface RecordedRequest {
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  protocol?: string;
}

export const LOG_LINES: Record<string, string[]> = {
  app: ['app line 1', 'app line 2', 'app line 3', 'app line 4'],
  sidecar: ['sidecar line 1'],
};
/** A container the kubelet refuses logs for, with the real kubelet's wording. */
export const WAITING_CONTAINER = 'starting';

const FOLLOW_INTERVAL_MS = 100;
/** Bounds a follow that nobody stops: 30 s of lines. */
const MAX_FOLLOW_LINES = 300;
const SUPPORTED_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
const STDOUT = 1;
const STDERR = 2;
const ERROR = 3;
const CLOSE = 255;

export class FakeKubelet {
  readonly requests: RecordedRequest[] = [];
  /** Follow streams that ended because the reader went away. */
  followsEnded = 0;
  private readonly sockets = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => SUPPORTED_PROTOCOLS.find((p) => offered.has(p)) ?? false,
  });

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(dir: string): Promise<FakeKubelet> {
    const tls = makeCertificate(dir, { commonName: 'fake-kubelet', fileName: 'kubelet' });
    let kubelet: FakeKubelet | undefined;
    const server = createServer(tls, (req, res) => kubelet?.serve(req, res));
    server.on('upgrade', (req: IncomingMessage, socket, head) => kubelet?.upgrade(req, socket, head));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    kubelet = new FakeKubelet(server, (server.address() as AddressInfo).port);
    return kubelet;
  }

  close(): Promise<void> {
    for (const client of this.sockets.clients) client.terminate();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private record(req: IncomingMessage): { url: URL; parts: string[] } {
    const url = new URL(req.url ?? '/', 'https://kubelet');
    this.requests.push({ path: url.pathname, query: url.searchParams, authorization: req.headers.authorization });
    return {
      url,
      parts: url.pathname
        .split('/')
        .filter((p) => p !== '')
        .map(decodeURIComponent),
    };
  }

  private serve(req: IncomingMessage, res: ServerResponse): void {
    const { url, parts } = this.record(req);
    const [what, namespace, pod, container] = parts;
    if (what !== 'containerLogs' || container === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found');
      return;
    }
    if (container === WAITING_CONTAINER) {
      res
        .writeHead(400, { 'content-type': 'text/plain' })
        .end(`container "${container}" in pod "${pod}" is waiting to start: ContainerCreating`);
      return;
    }
    const tail = url.searchParams.get('tailLines');
    const lines = LOG_LINES[container] ?? [`${namespace}/${pod}/${container}`];
    const shown = tail === null ? lines : lines.slice(Math.max(0, lines.length - Number(tail)));
    res.writeHead(200, { 'content-type': 'text/plain' });
    for (const line of shown) res.write(`${line}\n`);
    if (url.searchParams.get('follow') !== 'true') {
      res.end();
      return;
    }
    let tick = 0;
    const timer = setInterval(() => {
      tick += 1;
      res.write(`tick ${tick}\n`);
      if (tick >= MAX_FOLLOW_LINES) {
        clearInterval(timer);
        res.end();
      }
    }, FOLLOW_INTERVAL_MS);
    res.on('close', () => {
      clearInterval(timer);
      if (!res.writableFinished) this.followsEnded += 1;
    });
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const { url, parts } = this.record(req);
    const [what, , pod, container] = parts;
    if (what !== 'exec' && what !== 'attach') {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    this.sockets.handleUpgrade(req, socket, head, (ws) => {
      const recorded = this.requests[this.requests.length - 1];
      if (recorded) recorded.protocol = ws.protocol;
      if (what === 'attach') {
        send(ws, STDOUT, `attached to ${pod}/${container}\n`);
        finish(ws, 0, []);
        return;
      }
      runCommand(ws, url.searchParams.getAll('command'));
    });
  }
}

function send(ws: WebSocket, channel: number, text: string): void {
  ws.send(Buffer.concat([Buffer.from([channel]), Buffer.from(text)]));
}

function finish(ws: WebSocket, exitCode: number, command: string[]): void {
  const status =
    exitCode === 0
      ? { metadata: {}, status: 'Success' }
      : {
          metadata: {},
          status: 'Failure',
          message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${exitCode}`,
          reason: 'NonZeroExitCode',
          details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
        };
  send(ws, ERROR, JSON.stringify(status));
  ws.close(1000);
}

function runCommand(ws: WebSocket, command: string[]): void {
  if (command[0] === 'cat') {
    ws.on('message', (data: Buffer) => {
      const channel = data[0];
      if (channel === 0) send(ws, STDOUT, data.subarray(1).toString());
      // v5: stdin closed (the close signal names stream 0).
      if (channel === CLOSE && data[1] === 0) finish(ws, 0, command);
    });
    return;
  }
  send(ws, STDOUT, `out: ${command.join(' ')}\n`);
  send(ws, STDERR, 'err: something went wrong\n');
  finish(ws, 3, command);
}
