import { describe, expect, it } from 'vitest';
import { route } from './router.js';

describe('route', () => {
  it('finds discovery, health and OpenAPI documents', () => {
    expect(route('/version')).toEqual({ type: 'version' });
    expect(route('/readyz')).toEqual({ type: 'health', check: 'readyz' });
    expect(route('/healthz/ping')).toEqual({ type: 'health', check: 'healthz' });
    expect(route('/api')).toEqual({ type: 'legacy-versions' });
    expect(route('/api/v1')).toEqual({ type: 'resource-list', group: '', version: 'v1' });
    expect(route('/apis')).toEqual({ type: 'groups' });
    expect(route('/apis/apps')).toEqual({ type: 'group', group: 'apps' });
    expect(route('/apis/apps/v1')).toEqual({ type: 'resource-list', group: 'apps', version: 'v1' });
    expect(route('/openapi/v2')).toEqual({ type: 'openapi-v2' });
    expect(route('/openapi/v3')).toEqual({ type: 'openapi-v3-index' });
    expect(route('/openapi/v3/api/v1')).toEqual({ type: 'openapi-v3', group: '', version: 'v1' });
    expect(route('/openapi/v3/apis/apps/v1')).toEqual({ type: 'openapi-v3', group: 'apps', version: 'v1' });
  });

  it('reads namespaced resource paths', () => {
    expect(route('/apis/apps/v1/namespaces/default/deployments/web/scale')).toEqual({
      type: 'resource',
      group: 'apps',
      version: 'v1',
      namespace: 'default',
      resource: 'deployments',
      name: 'web',
      subresource: 'scale',
      legacyWatch: false,
    });
    expect(route('/api/v1/pods')).toEqual({
      type: 'resource',
      group: '',
      version: 'v1',
      resource: 'pods',
      legacyWatch: false,
    });
  });

  it('treats namespaces/{name}/status and /finalize as the namespace itself', () => {
    expect(route('/api/v1/namespaces/dev/status')).toMatchObject({
      resource: 'namespaces',
      name: 'dev',
      subresource: 'status',
    });
    expect(route('/api/v1/namespaces/dev/finalize')).toMatchObject({
      resource: 'namespaces',
      name: 'dev',
      subresource: 'finalize',
    });
    expect(route('/api/v1/namespaces/dev')).toMatchObject({ resource: 'namespaces', name: 'dev' });
    expect(route('/api/v1/namespaces')).toMatchObject({ resource: 'namespaces' });
    expect(route('/api/v1/namespaces/dev/pods')).toMatchObject({ resource: 'pods', namespace: 'dev' });
  });

  it('understands the legacy watch prefix', () => {
    expect(route('/api/v1/watch/namespaces/default/pods')).toMatchObject({
      resource: 'pods',
      namespace: 'default',
      legacyWatch: true,
    });
    expect(route('/apis/apps/v1/watch/deployments')).toMatchObject({ resource: 'deployments', legacyWatch: true });
  });

  it('refuses paths that address nothing', () => {
    expect(route('/')).toEqual({ type: 'not-found' });
    expect(route('/api/v2/pods')).toEqual({ type: 'not-found' });
    expect(route('/apis/apps/v1/namespaces/default/deployments/a/b/c')).toEqual({ type: 'not-found' });
    expect(route('/api/v1/namespaces/%ZZ/pods')).toEqual({ type: 'not-found' });
    expect(route('/api/v1/namespaces/../pods')).toEqual({ type: 'not-found' });
    expect(route('/version/extra')).toEqual({ type: 'not-found' });
  });

  it('decodes escaped segments', () => {
    expect(route('/api/v1/namespaces/default/configmaps/a%3Ab')).toMatchObject({ name: 'a:b' });
  });
});
