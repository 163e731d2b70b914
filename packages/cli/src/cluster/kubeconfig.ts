/** The kubeconfig `tkube up` writes: cluster "tkube" (server + CA), its admin user, context "tkube". */
import { stringify } from 'yaml';
import { ADMIN_USER } from './credentials.js';
import { writeFileAtomic } from './files.js';

export const CLUSTER_NAME = 'tkube';

export interface KubeconfigInput {
  server: string;
  caCertPem: string;
  token: string;
}

export function buildKubeconfig(input: KubeconfigInput): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: CLUSTER_NAME,
        cluster: {
          server: input.server,
          'certificate-authority-data': Buffer.from(input.caCertPem, 'utf8').toString('base64'),
        },
      },
    ],
    users: [{ name: ADMIN_USER, user: { token: input.token } }],
    contexts: [{ name: CLUSTER_NAME, context: { cluster: CLUSTER_NAME, user: ADMIN_USER } }],
    'current-context': CLUSTER_NAME,
    preferences: {},
  });
}

/** Owner-only: it holds the admin token. */
export async function writeKubeconfig(path: string, input: KubeconfigInput): Promise<void> {
  await writeFileAtomic(path, buildKubeconfig(input), 0o600);
}
