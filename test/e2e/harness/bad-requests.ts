/**
 * Requests a careless or hostile client sends: malformed bodies, wrong kinds, invalid
 * names and specs, bad paths, queries, patches, credentials and methods. Every one must
 * get a 4xx Status and change nothing.
 */
export interface BadRequest {
  what: string;
  method: string;
  path: string;
  body?: string | Buffer;
  contentType?: string;
  /** undefined: the cluster's token; null: none. */
  token?: string | null;
  /** The exact code kube-apiserver answers, where it is certain; else any 4xx. */
  code?: number;
}

const NS = 'bad';
const JSON_TYPE = 'application/json';

interface Target {
  path: string;
  valid: (name: string) => Record<string, unknown>;
}

const podSpec = { containers: [{ name: 'c', image: 'busybox:1.35' }] };
const TARGETS: Record<string, Target> = {
  configmaps: {
    path: `/api/v1/namespaces/${NS}/configmaps`,
    valid: (name) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: 'b' } }),
  },
  secrets: {
    path: `/api/v1/namespaces/${NS}/secrets`,
    valid: (name) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name }, stringData: { a: 'b' } }),
  },
  services: {
    path: `/api/v1/namespaces/${NS}/services`,
    valid: (name) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name },
      spec: { selector: { app: 'x' }, ports: [{ port: 80 }] },
    }),
  },
  pods: {
    path: `/api/v1/namespaces/${NS}/pods`,
    valid: (name) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: podSpec }),
  },
  deployments: {
    path: `/apis/apps/v1/namespaces/${NS}/deployments`,
    valid: (name) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name },
      spec: {
        selector: { matchLabels: { app: 'x' } },
        template: { metadata: { labels: { app: 'x' } }, spec: podSpec },
      },
    }),
  },
  jobs: {
    path: `/apis/batch/v1/namespaces/${NS}/jobs`,
    valid: (name) => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name },
      spec: { template: { spec: { ...podSpec, restartPolicy: 'Never' } } },
    }),
  },
  serviceaccounts: {
    path: `/api/v1/namespaces/${NS}/serviceaccounts`,
    valid: (name) => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } }),
  },
  leases: {
    path: `/apis/coordination.k8s.io/v1/namespaces/${NS}/leases`,
    valid: (name) => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name }, spec: {} }),
  },
  namespaces: {
    path: '/api/v1/namespaces',
    valid: (name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }),
  },
  persistentvolumes: {
    path: '/api/v1/persistentvolumes',
    valid: (name) => ({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name },
      spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/tmp/x' } },
    }),
  },
};

const MALFORMED_BODIES = [
  '{',
  'not json at all',
  '{"apiVersion": "v1", "kind": ',
  '\u0000\u0001\u0002',
  '{"metadata": {"name": "bad-x"}}}',
  "{'single': 'quotes'}",
  '[]',
  '"a string"',
];

export function badRequests(): BadRequest[] {
  const cases: BadRequest[] = [];
  /** A request with a JSON body: an object is serialized, a string is sent as it is. */
  const withBody =
    (method: string) =>
    (what: string, path: string, body: unknown, code?: number): BadRequest => ({
      what,
      method,
      path,
      body: typeof body === 'string' ? body : JSON.stringify(body),
      contentType: JSON_TYPE,
      ...(code !== undefined ? { code } : {}),
    });
  const post = withBody('POST');
  const put = withBody('PUT');

  // Malformed JSON to every kind of collection: 400.
  for (const [resource, target] of Object.entries(TARGETS)) {
    for (const [i, body] of MALFORMED_BODIES.entries()) {
      cases.push(post(`malformed body #${i} to ${resource}`, target.path, body, 400));
    }
  }

  // A body of another kind, or another apiVersion: 400.
  for (const [resource, target] of Object.entries(TARGETS)) {
    const wrongKind = { ...target.valid('bad-kind'), kind: resource === 'configmaps' ? 'Secret' : 'ConfigMap' };
    cases.push(post(`a body of another kind to ${resource}`, target.path, wrongKind, 400));
    cases.push(
      post(
        `a body of another apiVersion to ${resource}`,
        target.path,
        { ...target.valid('bad-version'), apiVersion: 'nope/v9' },
        400,
      ),
    );
  }

  // Invalid names: 422.
  const badNames = [
    'UPPER',
    'has space',
    '-leading-dash',
    'trailing-dash-',
    'under_score',
    'a'.repeat(254),
    'dot..dot',
    '',
  ];
  for (const resource of ['configmaps', 'secrets', 'services', 'deployments', 'namespaces'] as const) {
    const target = TARGETS[resource];
    if (!target) continue;
    for (const name of badNames) {
      const body = target.valid(name);
      if (name === '') delete (body.metadata as Record<string, unknown>).name;
      cases.push(post(`${resource} named ${JSON.stringify(name.slice(0, 20))}`, target.path, body, 422));
    }
  }

  // Invalid specs: 422.
  const deploy = (spec: Record<string, unknown>) => {
    const base = TARGETS.deployments?.valid('bad-spec') ?? {};
    return { ...base, spec: { ...(base.spec as object), ...spec } };
  };
  const pod = (spec: Record<string, unknown>) => ({ ...TARGETS.pods?.valid('bad-pod'), spec });
  const service = (spec: Record<string, unknown>) => ({ ...TARGETS.services?.valid('bad-svc'), spec });
  const invalid: Array<[string, string, unknown, number]> = [
    [
      'deployment whose selector misses the template labels',
      TARGETS.deployments?.path ?? '',
      deploy({ selector: { matchLabels: { app: 'other' } } }),
      422,
    ],
    ['deployment with -1 replicas', TARGETS.deployments?.path ?? '', deploy({ replicas: -1 }), 422],
    [
      'deployment with strategy type Fast',
      TARGETS.deployments?.path ?? '',
      deploy({ strategy: { type: 'Fast' } }),
      422,
    ],
    [
      'deployment with no containers',
      TARGETS.deployments?.path ?? '',
      deploy({ template: { metadata: { labels: { app: 'x' } }, spec: { containers: [] } } }),
      422,
    ],
    ['pod with no containers', TARGETS.pods?.path ?? '', pod({ containers: [] }), 422],
    ['pod container without image', TARGETS.pods?.path ?? '', pod({ containers: [{ name: 'c' }] }), 422],
    [
      'pod with restartPolicy Sometimes',
      TARGETS.pods?.path ?? '',
      pod({ ...podSpec, restartPolicy: 'Sometimes' }),
      422,
    ],
    [
      'pod with two containers of one name',
      TARGETS.pods?.path ?? '',
      pod({ containers: [podSpec.containers[0], podSpec.containers[0]] }),
      422,
    ],
    ['service port 0', TARGETS.services?.path ?? '', service({ ports: [{ port: 0 }] }), 422],
    ['service port 70000', TARGETS.services?.path ?? '', service({ ports: [{ port: 70000 }] }), 422],
    [
      'service of type Sideways',
      TARGETS.services?.path ?? '',
      service({ type: 'Sideways', ports: [{ port: 80 }] }),
      422,
    ],
    [
      'configmap with an invalid key',
      TARGETS.configmaps?.path ?? '',
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bad-cm' }, data: { 'bad key!': 'x' } },
      422,
    ],
    [
      'configmap with bad label value',
      TARGETS.configmaps?.path ?? '',
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bad-cm', labels: { app: 'no spaces allowed' } } },
      422,
    ],
    [
      'secret with data that is not base64',
      TARGETS.secrets?.path ?? '',
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bad-secret' }, data: { a: '%%%not base64%%%' } },
      0,
    ],
    [
      'job with restartPolicy Always',
      TARGETS.jobs?.path ?? '',
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'bad-job' },
        spec: { template: { spec: { ...podSpec, restartPolicy: 'Always' } } },
      },
      422,
    ],
  ];
  // 0: any 4xx (secret data that is not base64 is a decode error or an invalid field).
  for (const [what, path, body, code] of invalid) cases.push(post(what, path, body, code === 0 ? undefined : code));

  // Paths and names that do not fit.
  const cm = TARGETS.configmaps?.path ?? '';
  const configMapAt = (name: string, resourceVersion: string) => ({
    ...TARGETS.configmaps?.valid(name),
    metadata: { name, resourceVersion },
  });
  cases.push(
    post(
      'a resource that does not exist',
      `/api/v1/namespaces/${NS}/widgets`,
      TARGETS.configmaps?.valid('bad-w') ?? {},
      404,
    ),
    post('a group that does not exist', `/apis/nope.example/v1/namespaces/${NS}/things`, {}, 404),
    post(
      'a version that does not exist',
      `/apis/apps/v7/namespaces/${NS}/deployments`,
      TARGETS.deployments?.valid('bad-v') ?? {},
      404,
    ),
    post(
      'a namespace that does not exist',
      '/api/v1/namespaces/no-such-ns/configmaps',
      TARGETS.configmaps?.valid('bad-ns') ?? {},
      404,
    ),
    post(
      'a body naming another namespace',
      cm,
      { ...TARGETS.configmaps?.valid('bad-other-ns'), metadata: { name: 'bad-other-ns', namespace: 'default' } },
      400,
    ),
    put('PUT with another name than the URL', `${cm}/existing`, TARGETS.configmaps?.valid('renamed'), 400),
    put('PUT to an object that does not exist', `${cm}/bad-missing`, configMapAt('bad-missing', '1'), 404),
    put('PUT with a stale resourceVersion', `${cm}/existing`, configMapAt('existing', '1'), 409),
    put('PUT with a resourceVersion that is not a number', `${cm}/existing`, configMapAt('existing', 'abc')),
    { what: 'DELETE of an object that does not exist', method: 'DELETE', path: `${cm}/bad-missing`, code: 404 },
    {
      what: 'DELETE with a precondition on another uid',
      method: 'DELETE',
      path: `${cm}/existing`,
      body: JSON.stringify({
        kind: 'DeleteOptions',
        apiVersion: 'v1',
        preconditions: { uid: '00000000-0000-0000-0000-000000000000' },
      }),
      contentType: JSON_TYPE,
      code: 409,
    },
    {
      what: 'DELETE with propagationPolicy Sideways',
      method: 'DELETE',
      path: `${cm}/existing?propagationPolicy=Sideways`,
    },
    {
      what: 'DELETE with a negative grace period body',
      method: 'DELETE',
      path: `${cm}/existing`,
      body: '{"gracePeriodSeconds": "soon"}',
      contentType: JSON_TYPE,
      code: 400,
    },
    { what: 'GET of an object that does not exist', method: 'GET', path: `${cm}/bad-missing`, code: 404 },
    { what: 'GET of a subresource that does not exist', method: 'GET', path: `${cm}/existing/teleport`, code: 404 },
  );

  // Queries.
  for (const [what, query] of [
    ['a label selector that does not parse', 'labelSelector=a%3D%3Db%3D%3Dc'],
    ['a label selector with a bad operator', 'labelSelector=app+notreally+(x)'],
    ['a field selector on an unknown field', 'fieldSelector=spec.nope%3Dx'],
    ['a field selector that does not parse', 'fieldSelector=%3D%3D%3D'],
    ['a resourceVersion that is not a number', 'resourceVersion=abc'],
    ['a watch from a resourceVersion that is not a number', 'watch=1&resourceVersion=abc'],
    ['a continue token that is garbage', 'limit=1&continue=garbage%21'],
    ['a limit that is not a number', 'limit=many'],
  ] as const) {
    cases.push({ what, method: 'GET', path: `${cm}?${query}`, code: 400 });
  }
  for (const [what, query] of [
    ['dryRun=Maybe', 'dryRun=Maybe'],
    ['fieldValidation=Bogus', 'fieldValidation=Bogus'],
  ] as const) {
    // kube-apiserver answers an invalid CreateOptions with 422; 400 would do as well.
    cases.push(post(what, `${cm}?${query}`, TARGETS.configmaps?.valid('bad-query') ?? {}));
  }
  cases.push(
    post(
      'an unknown field under fieldValidation=Strict',
      `${cm}?fieldValidation=Strict`,
      { ...TARGETS.configmaps?.valid('bad-strict'), bogus: 1 },
      400,
    ),
  );

  // Patches.
  const patch = (what: string, contentType: string, body: string, code?: number): BadRequest => ({
    what,
    method: 'PATCH',
    path: `${cm}/existing`,
    body,
    contentType,
    ...(code !== undefined ? { code } : {}),
  });
  cases.push(
    patch('a patch of type text/plain', 'text/plain', '{}', 415),
    patch('a JSON patch that is not JSON', 'application/json-patch+json', '[{', 400),
    patch('a JSON patch that is not a list', 'application/json-patch+json', '{"op": "add"}'),
    patch('a JSON patch with an unknown op', 'application/json-patch+json', '[{"op":"explode","path":"/data/a"}]'),
    patch(
      'a JSON patch removing a missing path',
      'application/json-patch+json',
      '[{"op":"remove","path":"/data/nope"}]',
    ),
    patch(
      'a JSON patch whose test fails',
      'application/json-patch+json',
      '[{"op":"test","path":"/data/a","value":"zzz"},{"op":"replace","path":"/data/a","value":"changed"}]',
    ),
    patch('a merge patch that is not JSON', 'application/merge-patch+json', '{"data":', 400),
    patch('a merge patch renaming the object', 'application/merge-patch+json', '{"metadata":{"name":"renamed"}}'),
    patch('a merge patch making data a number', 'application/merge-patch+json', '{"data": 5}'),
    patch(
      'a merge patch with an invalid label',
      'application/merge-patch+json',
      '{"metadata":{"labels":{"a":"b c"}}}',
      422,
    ),
    patch('a strategic patch that is not JSON', 'application/strategic-merge-patch+json', 'nope', 400),
    patch('a strategic patch with an unknown $patch', 'application/strategic-merge-patch+json', '{"$patch":"explode"}'),
    patch(
      'an apply patch without a fieldManager',
      'application/apply-patch+yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: existing\n',
    ),
    {
      ...patch('a patch of an object that does not exist', 'application/merge-patch+json', '{"data":{"a":"c"}}', 404),
      path: `${cm}/bad-missing`,
    },
  );

  // Credentials: 401 before anything else.
  const readPaths = ['/api', '/apis', '/api/v1/namespaces', cm, `${cm}/existing`, '/apis/apps/v1/deployments'];
  for (const path of readPaths) {
    cases.push({ what: `GET ${path} without a token`, method: 'GET', path, token: null, code: 401 });
    cases.push({ what: `GET ${path} with a wrong token`, method: 'GET', path, token: 'not-the-token', code: 401 });
  }
  cases.push(
    { ...post('a create without a token', cm, TARGETS.configmaps?.valid('bad-anon') ?? {}, 401), token: null },
    { ...post('a create with a wrong token', cm, TARGETS.configmaps?.valid('bad-wrong') ?? {}, 401), token: 'x' },
    { what: 'a delete with a wrong token', method: 'DELETE', path: `${cm}/existing`, token: 'x', code: 401 },
  );

  // Methods and media types.
  cases.push(
    put('PUT on a collection', cm, TARGETS.configmaps?.valid('bad-put'), 405),
    post('POST on a named object', `${cm}/existing`, TARGETS.configmaps?.valid('existing'), 405),
    {
      what: 'PATCH on a collection',
      method: 'PATCH',
      path: cm,
      body: '{}',
      contentType: 'application/merge-patch+json',
      code: 405,
    },
    post('a JSON create whose body is XML', cm, '<configmap/>', 400),
    {
      ...post('a create sent as text/plain', cm, JSON.stringify(TARGETS.configmaps?.valid('bad-text'))),
      contentType: 'text/plain',
      code: 415,
    },
    { ...post('a create sent as XML', cm, '<ConfigMap/>'), contentType: 'application/xml', code: 415 },
    {
      ...post(
        'a body of 4 MiB',
        cm,
        JSON.stringify({ ...TARGETS.configmaps?.valid('bad-huge'), data: { big: 'x'.repeat(4 * 1024 * 1024) } }),
      ),
      code: 413,
    },
  );
  return cases;
}
