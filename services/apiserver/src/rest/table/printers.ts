/** Which printer draws which resource's rows. */
import type { ResourceInfo } from '@tkube/api';
import {
  configMapPrinter,
  defaultPrinter,
  endpointsPrinter,
  eventPrinter,
  leasePrinter,
  namespacePrinter,
  nodePrinter,
  secretPrinter,
  serviceAccountPrinter,
  servicePrinter,
} from './core-printers.js';
import { podPrinter } from './pod-printer.js';
import type { Printer } from './table-types.js';
import {
  cronJobPrinter,
  daemonSetPrinter,
  deploymentPrinter,
  jobPrinter,
  replicaSetPrinter,
  statefulSetPrinter,
} from './workload-printers.js';

const PRINTERS: Record<string, Printer> = {
  '/pods': podPrinter,
  '/services': servicePrinter,
  '/endpoints': endpointsPrinter,
  '/nodes': nodePrinter,
  '/namespaces': namespacePrinter,
  '/configmaps': configMapPrinter,
  '/secrets': secretPrinter,
  '/serviceaccounts': serviceAccountPrinter,
  '/events': eventPrinter,
  'apps/deployments': deploymentPrinter,
  'apps/replicasets': replicaSetPrinter,
  'apps/statefulsets': statefulSetPrinter,
  'apps/daemonsets': daemonSetPrinter,
  'batch/jobs': jobPrinter,
  'batch/cronjobs': cronJobPrinter,
  'coordination.k8s.io/leases': leasePrinter,
};

export function printerFor(info: Pick<ResourceInfo, 'group' | 'resource'>): Printer {
  return PRINTERS[`${info.group}/${info.resource}`] ?? defaultPrinter;
}
