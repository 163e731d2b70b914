/**
 * One DNS query in, one response out (RFC 1035, EDNS of RFC 6891). What it answers comes
 * from a Resolver (the record index); this module owns the protocol:
 *
 * - NOERROR with the answers, or with none and the zone's SOA in authority when the name
 *   exists without that type; NXDOMAIN with the SOA for a name of the zone that does not
 *   exist; both authoritative (AA).
 * - REFUSED for names outside the cluster domain: this server forwards nowhere.
 * - FORMERR for a message it cannot parse or that asks other than one question; NOTIMP
 *   for opcodes other than QUERY; BADVERS for EDNS versions above 0. Responses are never
 *   answered (no loops).
 * - A query with EDNS gets EDNS back. Over UDP a response larger than the client takes
 *   (512 bytes, or its EDNS payload size) sheds its additionals, then as many answers as it
 *   must, and says so with the TC flag: the client asks again over TCP.
 * - Address records come back in random order, as CoreDNS' loadbalance plugin does, so
 *   clients that take the first spread over a headless service's pods.
 */
import {
  type Answer,
  AUTHORITATIVE_ANSWER,
  type DecodedPacket,
  decode,
  encode,
  encodingLength,
  type OptAnswer,
  type Packet,
  RECURSION_DESIRED,
  type SoaAnswer,
  TRUNCATED_RESPONSE,
} from 'dns-packet';
import type { Resolution } from '../records/record-index.js';

/** What the responder needs of the records. */
export interface Resolver {
  resolve(name: string, type: string): Resolution;
  /** The zone's SOA, for negative answers. */
  soa(): SoaAnswer;
}

export type Transport = 'udp' | 'tcp';

export interface ResponderOptions {
  /** Reorders a response's address records; default: a random shuffle. Tests pass the identity. */
  shuffle?: <T>(records: T[]) => T[];
  /** Told of each answered question (for debug logs). */
  onAnswered?: (question: { name: string; type: string }, rcode: RcodeName) => void;
}

export const RCODE = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
} as const;
export type RcodeName = keyof typeof RCODE | 'BADVERS';

const HEADER_BYTES = 12;
const OPCODE_QUERY = 0;
/** RFC 1035's limit for UDP without EDNS. */
const CLASSIC_UDP_LIMIT = 512;
/** The most a UDP response may be whatever the client offers: beyond, fragments get lost. */
const MAX_UDP_LIMIT = 4096;
/** What this server offers in its own OPT: the DNS flag day's fragment-safe size. */
const OWN_UDP_PAYLOAD = 1232;
/** BADVERS (16) is extended: its upper 8 bits go in the OPT, its lower 4 (0) in the header. */
const BADVERS_EXTENDED = 1;

export class Responder {
  private readonly shuffle: <T>(records: T[]) => T[];

  constructor(
    private readonly resolver: Resolver,
    private readonly options: ResponderOptions = {},
  ) {
    this.shuffle = options.shuffle ?? randomShuffle;
  }

  /** The response to `message`, or undefined when nothing must be sent (a response, a runt). */
  respond(message: Buffer, transport: Transport): Buffer | undefined {
    if (message.length < HEADER_BYTES) return undefined;
    const id = message.readUInt16BE(0);
    const headerFlags = message.readUInt16BE(2);
    if (headerFlags & 0x8000) return undefined;
    const rd = headerFlags & RECURSION_DESIRED;

    let query: DecodedPacket;
    try {
      query = decode(message);
    } catch {
      return encode({ type: 'response', id, flags: rd | RCODE.FORMERR });
    }
    const questions = query.questions ?? [];
    const opts = (query.additionals ?? []).filter((record): record is OptAnswer => record.type === 'OPT');
    const edns = opts[0];
    const reply = (rcode: number, rest: Partial<Packet> = {}, ednsRcode = 0): Packet => ({
      type: 'response',
      id,
      flags: rd | rcode,
      questions,
      ...rest,
      additionals: [...(rest.additionals ?? []), ...(edns ? [ownOpt(ednsRcode)] : [])],
    });

    if (((headerFlags >> 11) & 0xf) !== OPCODE_QUERY) return encode(reply(RCODE.NOTIMP));
    if (questions.length !== 1 || opts.length > 1) return encode(reply(RCODE.FORMERR));
    if (edns && edns.ednsVersion > 0) return encode(reply(RCODE.NOERROR, { questions }, BADVERS_EXTENDED));
    const question = questions[0];
    if (!question) return encode(reply(RCODE.FORMERR));
    if (question.class !== undefined && question.class !== 'IN' && question.class !== 'ANY') {
      this.options.onAnswered?.(question, 'REFUSED');
      return encode(reply(RCODE.REFUSED));
    }

    const resolution = this.resolver.resolve(question.name, question.type);
    const packet = this.packetFor(resolution, reply);
    this.options.onAnswered?.(question, rcodeName(packet.flags ?? 0));
    const limit = transport === 'tcp' ? Number.POSITIVE_INFINITY : udpLimit(edns);
    return encode(fit(packet, limit));
  }

  private packetFor(resolution: Resolution, reply: (rcode: number, rest?: Partial<Packet>) => Packet): Packet {
    switch (resolution.kind) {
      case 'not-authoritative':
        return reply(RCODE.REFUSED);
      case 'nxdomain':
        return authoritative(reply(RCODE.NXDOMAIN, { authorities: [this.resolver.soa()] }));
      case 'found': {
        const answers = this.ordered(resolution.answers);
        const authorities = answers.length === 0 ? [this.resolver.soa()] : [];
        return authoritative(reply(RCODE.NOERROR, { answers, authorities, additionals: resolution.additionals }));
      }
    }
  }

  private ordered(answers: Answer[]): Answer[] {
    const addresses = answers.filter((a) => a.type === 'A' || a.type === 'AAAA');
    if (addresses.length < 2) return answers;
    return [...answers.filter((a) => a.type !== 'A' && a.type !== 'AAAA'), ...this.shuffle(addresses)];
  }
}

function authoritative(packet: Packet): Packet {
  return { ...packet, flags: (packet.flags ?? 0) | AUTHORITATIVE_ANSWER };
}

function ownOpt(extendedRcode: number): OptAnswer {
  return {
    type: 'OPT',
    name: '.',
    udpPayloadSize: OWN_UDP_PAYLOAD,
    extendedRcode,
    ednsVersion: 0,
    flags: 0,
    flag_do: false,
    options: [],
  };
}

function udpLimit(edns: OptAnswer | undefined): number {
  if (!edns) return CLASSIC_UDP_LIMIT;
  return Math.min(MAX_UDP_LIMIT, Math.max(CLASSIC_UDP_LIMIT, edns.udpPayloadSize));
}

/**
 * `packet` cut to `limit` bytes: first its additionals go (but the OPT), which needs no TC
 * (they are extras); then answers from the end, with TC set, keeping as many as fit so
 * that a client that cannot retry over TCP still gets some.
 */
function fit(packet: Packet, limit: number): Packet {
  if (encodingLength(packet) <= limit) return packet;
  const opt = (packet.additionals ?? []).filter((record) => record.type === 'OPT');
  const lean: Packet = { ...packet, additionals: opt };
  if (encodingLength(lean) <= limit) return lean;
  const answers = packet.answers ?? [];
  const truncated = (count: number): Packet => ({
    ...lean,
    flags: (packet.flags ?? 0) | TRUNCATED_RESPONSE,
    answers: answers.slice(0, count),
    authorities: [],
  });
  // The largest count that fits: encoding lengths grow with the count.
  let low = 0;
  let high = answers.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (encodingLength(truncated(mid)) <= limit) low = mid;
    else high = mid - 1;
  }
  return truncated(low);
}

function rcodeName(flags: number): RcodeName {
  const code = flags & 0xf;
  const name = (Object.keys(RCODE) as (keyof typeof RCODE)[]).find((k) => RCODE[k] === code);
  return name ?? 'SERVFAIL';
}

function randomShuffle<T>(records: T[]): T[] {
  const shuffled = [...records];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j] as T, shuffled[i] as T];
  }
  return shuffled;
}
