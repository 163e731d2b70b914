/** A minimal DNS client for tests: one question over UDP or TCP, with a time limit. */
import { createSocket } from 'node:dgram';
import { connect, isIPv6 } from 'node:net';
import { type DecodedPacket, decode, encode, RECURSION_DESIRED, type RecordType } from 'dns-packet';

export interface DnsReply extends DecodedPacket {
  /** The header's RCODE: 0 NOERROR, 3 NXDOMAIN, 5 REFUSED... */
  rcode: number;
}

const TIMEOUT_MS = 2000;

function question(name: string, type: RecordType): Buffer {
  return encode({
    type: 'query',
    id: Math.floor(Math.random() * 0xffff),
    flags: RECURSION_DESIRED,
    questions: [{ type, name }],
  });
}

function reply(message: Buffer): DnsReply {
  const packet = decode(message);
  return { ...packet, rcode: (packet.flags ?? 0) & 0xf };
}

export function queryUdp(host: string, port: number, name: string, type: RecordType): Promise<DnsReply> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(isIPv6(host) ? 'udp6' : 'udp4');
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`no UDP answer from ${host}:${port} for ${name} ${type}`));
    }, TIMEOUT_MS);
    socket.on('message', (message) => {
      clearTimeout(timer);
      socket.close();
      resolve(reply(message));
    });
    socket.send(question(name, type), port, host);
  });
}

export function queryTcp(host: string, port: number, name: string, type: RecordType): Promise<DnsReply> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, host);
    let buffered = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no TCP answer from ${host}:${port} for ${name} ${type}`));
    }, TIMEOUT_MS);
    socket.on('connect', () => {
      const body = question(name, type);
      const prefix = Buffer.alloc(2);
      prefix.writeUInt16BE(body.length);
      socket.write(Buffer.concat([prefix, body]));
    });
    socket.on('data', (data) => {
      buffered = Buffer.concat([buffered, data]);
      if (buffered.length < 2 || buffered.length < 2 + buffered.readUInt16BE(0)) return;
      clearTimeout(timer);
      socket.end();
      resolve(reply(buffered.subarray(2, 2 + buffered.readUInt16BE(0))));
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** The data of the answers ("10.96.0.1", SRV objects...). */
export function answerData(packet: DecodedPacket): unknown[] {
  return (packet.answers ?? []).map((answer) => ('data' in answer ? answer.data : undefined));
}
