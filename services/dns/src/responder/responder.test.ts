import { type Answer, type DecodedPacket, decode, encode, type Packet, RECURSION_DESIRED } from 'dns-packet';
import { beforeEach, describe, expect, it } from 'vitest';
import { RecordIndex } from '../records/record-index.js';
import { clusterIPService, endpointSlice, headlessService } from '../testing/objects.js';
import { Responder } from './responder.js';

let index: RecordIndex;
let responder: Responder;

beforeEach(() => {
  index = new RecordIndex({ zone: 'cluster.local', ttl: 5 });
  index.setService(clusterIPService('default', 'web', '10.96.4.2', [{ name: 'http', port: 80 }]));
  responder = new Responder(index, { shuffle: (records) => records });
});

function query(name: string, type: string, extra: Partial<Packet> = {}): Buffer {
  return encode({
    type: 'query',
    id: 4242,
    flags: RECURSION_DESIRED,
    questions: [{ type: type as 'A', name }],
    ...extra,
  });
}

function ask(message: Buffer, transport: 'udp' | 'tcp' = 'udp'): DecodedPacket & { rcode: number } {
  const response = responder.respond(message, transport);
  if (!response) throw new Error('no response');
  const packet = decode(response);
  return { ...packet, rcode: (packet.flags ?? 0) & 0xf };
}

const EDNS: Answer = {
  type: 'OPT',
  name: '.',
  udpPayloadSize: 4096,
  extendedRcode: 0,
  ednsVersion: 0,
  flags: 0,
  flag_do: false,
  options: [],
};

describe('Responder', () => {
  it('answers a service name authoritatively, echoing the id, the question and RD', () => {
    const response = ask(query('web.default.svc.cluster.local', 'A'));
    expect(response).toMatchObject({
      id: 4242,
      type: 'response',
      flag_aa: true,
      flag_rd: true,
      flag_tc: false,
      rcode: 0,
      questions: [{ name: 'web.default.svc.cluster.local', type: 'A', class: 'IN' }],
      answers: [{ name: 'web.default.svc.cluster.local', type: 'A', ttl: 5, data: '10.96.4.2' }],
    });
  });

  it('answers NXDOMAIN with the SOA for a name of the zone that does not exist', () => {
    const response = ask(query('nope.default.svc.cluster.local', 'A'));
    expect(response.rcode).toBe(3);
    expect(response.flag_aa).toBe(true);
    expect(response.answers).toEqual([]);
    expect(response.authorities?.map((a) => [a.type, a.name])).toEqual([['SOA', 'cluster.local']]);
  });

  it('answers NOERROR with no answers and the SOA for an existing name of another type', () => {
    const response = ask(query('web.default.svc.cluster.local', 'AAAA'));
    expect(response.rcode).toBe(0);
    expect(response.answers).toEqual([]);
    expect(response.authorities?.map((a) => a.type)).toEqual(['SOA']);
  });

  it('refuses names outside the cluster domain, without authority', () => {
    const response = ask(query('example.com', 'A'));
    expect(response.rcode).toBe(5);
    expect(response.flag_aa).toBe(false);
    expect(response.answers).toEqual([]);
  });

  it('answers EDNS with EDNS, and BADVERS for a version it does not speak', () => {
    const withEdns = ask(query('web.default.svc.cluster.local', 'A', { additionals: [EDNS] }));
    expect(withEdns.answers).toHaveLength(1);
    expect(withEdns.additionals).toMatchObject([{ type: 'OPT', udpPayloadSize: 1232, ednsVersion: 0 }]);

    const v1 = ask(query('web.default.svc.cluster.local', 'A', { additionals: [{ ...EDNS, ednsVersion: 1 }] }));
    expect(v1.answers).toEqual([]);
    expect(v1.additionals).toMatchObject([{ type: 'OPT', extendedRcode: 1 }]);
  });

  it('says FORMERR to a message it cannot read or to more than one question', () => {
    const garbage = Buffer.concat([
      Buffer.from([0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0]),
      Buffer.from([63]),
    ]);
    const response = ask(garbage);
    expect(response.id).toBe(0x1234);
    expect(response.rcode).toBe(1);

    const two = encode({
      type: 'query',
      id: 1,
      questions: [
        { type: 'A', name: 'web.default.svc.cluster.local' },
        { type: 'A', name: 'db.default.svc.cluster.local' },
      ],
    });
    expect(ask(two).rcode).toBe(1);
  });

  it('says NOTIMP to other opcodes, and does not answer responses or runts', () => {
    const notify = query('cluster.local', 'SOA');
    notify.writeUInt16BE(notify.readUInt16BE(2) | (4 << 11), 2);
    expect(ask(notify).rcode).toBe(4);

    const response = encode({ type: 'response', id: 1, questions: [{ type: 'A', name: 'x' }] });
    expect(responder.respond(response, 'udp')).toBeUndefined();
    expect(responder.respond(Buffer.from([1, 2, 3]), 'udp')).toBeUndefined();
  });

  describe('a headless service with many endpoints', () => {
    const COUNT = 60;
    beforeEach(() => {
      index.setService(headlessService('default', 'big', [{ name: 'http', port: 80 }]));
      const endpoints = Array.from({ length: COUNT }, (_, i) => ({ ip: `10.244.1.${i + 1}`, pod: `big-${i}` }));
      index.setEndpointSlice(endpointSlice('default', 'big', 'big-1', endpoints, [{ name: 'http', port: 80 }]));
    });

    it('is truncated over UDP to what fits in 512 bytes, with TC set', () => {
      const message = query('big.default.svc.cluster.local', 'A');
      const udp = ask(message, 'udp');
      expect(udp.flag_tc).toBe(true);
      expect(udp.answers?.length).toBeGreaterThan(0);
      expect(udp.answers?.length).toBeLessThan(COUNT);
      expect(responder.respond(message, 'udp')?.length).toBeLessThanOrEqual(512);
    });

    it('fits the EDNS size the client offers, and is whole over TCP', () => {
      const edns = ask(query('big.default.svc.cluster.local', 'A', { additionals: [EDNS] }));
      expect(edns.flag_tc).toBe(false);
      expect(edns.answers).toHaveLength(COUNT);

      const tcp = ask(query('big.default.svc.cluster.local', 'A'), 'tcp');
      expect(tcp.flag_tc).toBe(false);
      expect(tcp.answers).toHaveLength(COUNT);
    });

    it('sheds SRV additionals before answers, without TC', () => {
      const four = ['a', 'b', 'c', 'd'].map((pod, i) => ({ ip: `10.244.1.${i + 1}`, pod }));
      index.setEndpointSlice(endpointSlice('default', 'big', 'big-1', four, [{ name: 'http', port: 80 }]));
      const name = '_http._tcp.big.default.svc.cluster.local';
      expect(ask(query(name, 'SRV'), 'tcp').additionals).toHaveLength(4);
      const udp = ask(query(name, 'SRV'), 'udp');
      expect(udp.answers).toHaveLength(4);
      expect(udp.additionals).toEqual([]);
      expect(udp.flag_tc).toBe(false);
    });
  });

  it('shuffles address records by default', () => {
    index.setService(headlessService('default', 'many'));
    const endpoints = Array.from({ length: 10 }, (_, i) => ({ ip: `10.244.2.${i + 1}` }));
    index.setEndpointSlice(endpointSlice('default', 'many', 'many-1', endpoints));
    const shuffling = new Responder(index);
    const orders = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const response = shuffling.respond(query('many.default.svc.cluster.local', 'A'), 'udp');
      if (!response) throw new Error('no response');
      orders.add(JSON.stringify(decode(response).answers?.map((a) => ('data' in a ? a.data : ''))));
    }
    expect(orders.size).toBeGreaterThan(1);
  });
});
