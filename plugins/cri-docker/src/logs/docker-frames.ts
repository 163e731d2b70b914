/**
 * Docker's multiplexed stream (stdcopy): each frame is an 8-byte header (stream type, three
 * zero bytes, big-endian payload length) then the payload. Used for containers and execs
 * without a tty; chunks from the socket cut frames anywhere, so the demuxer buffers.
 */

export type DockerStream = 'stdin' | 'stdout' | 'stderr';

export interface DockerFrame {
  stream: DockerStream;
  payload: Buffer;
}

const HEADER_BYTES = 8;
const STREAMS: Record<number, DockerStream> = { 0: 'stdin', 1: 'stdout', 2: 'stderr' };

export class FrameDemuxer {
  private pending: Buffer = Buffer.alloc(0);

  /** Feeds a chunk; returns the frames it completed. */
  push(chunk: Buffer): DockerFrame[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames: DockerFrame[] = [];
    while (this.pending.length >= HEADER_BYTES) {
      const length = this.pending.readUInt32BE(4);
      if (this.pending.length < HEADER_BYTES + length) break;
      const stream = STREAMS[this.pending[0]] ?? 'stdout';
      frames.push({ stream, payload: this.pending.subarray(HEADER_BYTES, HEADER_BYTES + length) });
      this.pending = this.pending.subarray(HEADER_BYTES + length);
    }
    return frames;
  }

  /** Bytes of an unfinished frame (nonzero when a stream ended mid-frame). */
  get buffered(): number {
    return this.pending.length;
  }
}

/** Builds a frame: for tests and fakes that play Docker. */
export function encodeFrame(stream: DockerStream, payload: Buffer | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const header = Buffer.alloc(HEADER_BYTES);
  header[0] = stream === 'stdin' ? 0 : stream === 'stdout' ? 1 : 2;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}
