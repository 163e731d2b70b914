import { describe, expect, it } from 'vitest';
import { RequestMetrics, requestVerb } from './metrics.js';

describe('RequestMetrics', () => {
  it('counts requests by verb, resource and code, as kube-apiserver names them', () => {
    const metrics = new RequestMetrics();
    const labels = { verb: 'create', group: 'apps', version: 'v1', resource: 'deployments', code: 201 };
    metrics.observe(labels, 0.003);
    metrics.observe(labels, 0.03);
    metrics.observe({ ...labels, code: 409 }, 0.002);
    const text = metrics.render();
    expect(text).toContain(
      'apiserver_request_total{verb="create",group="apps",version="v1",resource="deployments",code="201"} 2',
    );
    expect(text).toContain(
      'apiserver_request_total{verb="create",group="apps",version="v1",resource="deployments",code="409"} 1',
    );
    const bucket = (le: string) =>
      `apiserver_request_duration_seconds_bucket{verb="create",group="apps",version="v1",resource="deployments",le="${le}"}`;
    expect(text).toContain(`${bucket('0.005')} 2`);
    expect(text).toContain(`${bucket('0.05')} 3`);
    expect(text).toContain(`${bucket('+Inf')} 3`);
    expect(text).toMatch(/^process_resident_memory_bytes \d+$/m);
  });

  it('escapes label values so a strange resource name cannot break the format', () => {
    const metrics = new RequestMetrics();
    metrics.observe({ verb: 'get', group: '', version: 'v1', resource: 'a"b\\c', code: 404 }, 0.001);
    expect(metrics.render()).toContain('resource="a\\"b\\\\c"');
  });
});

describe('requestVerb', () => {
  const none = new URLSearchParams();
  it.each([
    ['GET', true, none, false, 'get'],
    ['GET', false, none, false, 'list'],
    ['GET', false, new URLSearchParams('watch=1'), false, 'watch'],
    ['GET', false, none, true, 'watch'],
    ['POST', false, none, false, 'create'],
    ['PUT', true, none, false, 'update'],
    ['PATCH', true, none, false, 'patch'],
    ['DELETE', true, none, false, 'delete'],
    ['DELETE', false, none, false, 'deletecollection'],
  ] as const)('%s (named: %s, %s, legacy watch: %s) is %s', (method, named, query, legacy, verb) => {
    expect(requestVerb(method, named, query, legacy)).toBe(verb);
  });
});
