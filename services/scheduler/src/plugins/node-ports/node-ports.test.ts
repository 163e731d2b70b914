import type { Pod } from '@tkube/api';
import { describe, expect, it } from 'vitest';
import { makeNode, makePod } from '../testing/builders.js';
import { nodeInfoOf } from '../testing/node-infos.js';
import { describeStatuses, runFilter } from '../testing/run-plugin.js';
import { NodePorts } from './node-ports.js';

const port = (protocol: string, hostIP: string, hostPort: number) =>
  makePod().hostPort(hostPort, protocol, hostIP).obj();
const CONFLICT = "Unschedulable: node(s) didn't have free ports for the requested pod ports";

function filter(pod: Pod, existing: Pod[]): string {
  const node = makeNode().name('node').obj();
  return describeStatuses(runFilter(new NodePorts(), pod, [nodeInfoOf(node, existing)]).statuses).node;
}

describe('NodePorts (kube node_ports_test)', () => {
  it.each([
    ['nothing running', port('UDP', '127.0.0.1', 8080), [], 'Success'],
    ['other port', port('UDP', '127.0.0.1', 8080), [port('UDP', '127.0.0.1', 9090)], 'Success'],
    ['same udp port', port('UDP', '127.0.0.1', 8080), [port('UDP', '127.0.0.1', 8080)], CONFLICT],
    ['same tcp port', port('TCP', '127.0.0.1', 8080), [port('TCP', '127.0.0.1', 8080)], CONFLICT],
    ['different host ip', port('TCP', '127.0.0.1', 8080), [port('TCP', '127.0.0.2', 8080)], 'Success'],
    ['different protocol', port('UDP', '127.0.0.1', 8080), [port('TCP', '127.0.0.1', 8080)], 'Success'],
    [
      'second udp port conflict',
      makePod().hostPort(8000, 'UDP', '127.0.0.1').hostPort(8080, 'UDP', '127.0.0.1').obj(),
      [port('UDP', '127.0.0.1', 8080)],
      CONFLICT,
    ],
    [
      'first tcp port conflict due to 0.0.0.0 hostIP',
      port('TCP', '0.0.0.0', 8001),
      [port('TCP', '127.0.0.1', 8001)],
      CONFLICT,
    ],
    ['existing 0.0.0.0 takes every address', port('TCP', '127.0.0.1', 8001), [port('TCP', '0.0.0.0', 8001)], CONFLICT],
    ['empty hostIP means 0.0.0.0', port('TCP', '', 8001), [port('TCP', '10.0.0.1', 8001)], CONFLICT],
    [
      '0.0.0.0 does not take the other protocol',
      port('UDP', '0.0.0.0', 8001),
      [port('TCP', '0.0.0.0', 8001)],
      'Success',
    ],
  ])('%s', (_name, pod, existing, expected) => {
    expect(filter(pod, existing)).toBe(expected);
  });

  it('skips pods without host ports at PreFilter', () => {
    expect(runFilter(new NodePorts(), makePod().req({}).obj(), []).preFilter.code).toBe('Skip');
  });
});
