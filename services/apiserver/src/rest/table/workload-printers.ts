/** Rows of the workload controllers: deployments, replica sets, stateful sets, daemon sets, jobs, cron jobs. */
import type { KubeObject } from '@tkube/api';
import { containerColumns, formatLabels, formatSelector, type Json, list, num, obj, str } from './fields.js';
import { ageSince, humanDuration } from './human-duration.js';
import { AGE_COLUMN, column, NAME_COLUMN, type Printer, type TableColumnDefinition } from './table-types.js';

const CONTAINERS = column('Containers', 'string', 'Names of each container in the template.', { priority: 1 });
const IMAGES = column('Images', 'string', 'Images referenced by each container in the template.', { priority: 1 });
const SELECTOR = column('Selector', 'string', 'Label selector for pods.', { priority: 1 });

/** The pod spec of a workload spec's `template`. */
function podTemplateSpec(workloadSpec: Json): Json {
  return obj(obj(workloadSpec.template).spec);
}

/** What sets one controller's row apart; the columns around them are the same for all. */
interface WorkloadColumns {
  /** Printed between Name and Age. */
  columns: TableColumnDefinition[];
  cells(object: KubeObject, now: number): unknown[];
  /** The spec that holds `template` and `selector`: the object's own, a CronJob's is its job template's. */
  workloadSpec?: (object: KubeObject) => Json;
  /** kubectl prints no Selector for StatefulSets. */
  withSelector?: boolean;
}

/** Name, the controller's own columns, Age, then (wide) the template's containers and images and the selector. */
function workloadPrinter(own: WorkloadColumns): Printer {
  const withSelector = own.withSelector ?? true;
  const workloadSpec = own.workloadSpec ?? ((object: KubeObject) => obj(object.spec));
  return {
    columns: [NAME_COLUMN, ...own.columns, AGE_COLUMN, CONTAINERS, IMAGES, ...(withSelector ? [SELECTOR] : [])],
    cells(object, now) {
      const spec = workloadSpec(object);
      return [
        object.metadata?.name ?? '',
        ...own.cells(object, now),
        ageSince(object.metadata?.creationTimestamp, now),
        ...containerColumns(podTemplateSpec(spec)),
        ...(withSelector ? [formatSelector(spec.selector)] : []),
      ];
    },
  };
}

export const deploymentPrinter = workloadPrinter({
  columns: [
    column('Ready', 'string', 'Number of the pod with ready state'),
    column(
      'Up-to-date',
      'integer',
      'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
    ),
    column(
      'Available',
      'integer',
      'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
    ),
  ],
  cells(object) {
    const status = obj(object.status);
    return [
      `${num(status.readyReplicas)}/${num(obj(object.spec).replicas, 1)}`,
      num(status.updatedReplicas),
      num(status.availableReplicas),
    ];
  },
});

export const replicaSetPrinter = workloadPrinter({
  columns: [
    column('Desired', 'integer', 'Replicas is the number of desired pods.'),
    column('Current', 'integer', 'Replicas is the most recently observed number of replicas.'),
    column('Ready', 'integer', 'The number of ready replicas for this replica set.'),
  ],
  cells(object) {
    const status = obj(object.status);
    return [num(obj(object.spec).replicas, 1), num(status.replicas), num(status.readyReplicas)];
  },
});

export const statefulSetPrinter = workloadPrinter({
  columns: [column('Ready', 'string', 'Number of the pod with ready state')],
  cells(object) {
    return [`${num(obj(object.status).readyReplicas)}/${num(obj(object.spec).replicas, 1)}`];
  },
  withSelector: false,
});

export const daemonSetPrinter = workloadPrinter({
  columns: [
    column('Desired', 'integer', 'The total number of nodes that should be running the daemon pod.'),
    column('Current', 'integer', 'The number of nodes that are running at least 1 daemon pod.'),
    column(
      'Ready',
      'integer',
      'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.',
    ),
    column('Up-to-date', 'integer', 'The total number of nodes that are running updated daemon pod.'),
    column(
      'Available',
      'integer',
      'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.',
    ),
    column('Node Selector', 'string', 'NodeSelector is a selector which must be true for the pod to fit on a node.'),
  ],
  cells(object) {
    const status = obj(object.status);
    return [
      num(status.desiredNumberScheduled),
      num(status.currentNumberScheduled),
      num(status.numberReady),
      num(status.updatedNumberScheduled),
      num(status.numberAvailable),
      formatLabels(podTemplateSpec(obj(object.spec)).nodeSelector),
    ];
  },
});

function jobStatus(object: KubeObject): string {
  const conditions = list(obj(object.status).conditions).filter((c) => c.status === 'True');
  const has = (type: string) => conditions.some((c) => c.type === type);
  if (has('Failed')) return 'Failed';
  if (has('Complete')) return 'Complete';
  if (has('FailureTarget')) return 'FailureTarget';
  if (has('SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  if (has('Suspended')) return 'Suspended';
  if (object.metadata?.deletionTimestamp !== undefined) return 'Terminating';
  return 'Running';
}

export const jobPrinter = workloadPrinter({
  columns: [
    column('Status', 'string', 'Status of the job.'),
    column('Completions', 'string', 'The completion status of the job.'),
    column('Duration', 'string', 'Time required to complete the job.'),
  ],
  cells(object, now) {
    const spec = obj(object.spec);
    const status = obj(object.status);
    const succeeded = num(status.succeeded);
    let completions: string;
    if (spec.completions !== undefined && spec.completions !== null)
      completions = `${succeeded}/${num(spec.completions)}`;
    else completions = num(spec.parallelism, 1) > 1 ? `${succeeded}/1 of ${num(spec.parallelism)}` : `${succeeded}/1`;
    let duration = '';
    const start = Date.parse(str(status.startTime));
    if (!Number.isNaN(start)) {
      const end = Date.parse(str(status.completionTime));
      duration = humanDuration((Number.isNaN(end) ? now : end) - start);
    }
    return [jobStatus(object), completions, duration];
  },
});

export const cronJobPrinter = workloadPrinter({
  columns: [
    column('Schedule', 'string', 'The schedule in Cron format.'),
    column('Timezone', 'string', 'The time zone name for the given schedule.'),
    column('Suspend', 'boolean', 'This flag tells the controller to suspend subsequent executions.'),
    column('Active', 'integer', 'A list of pointers to currently running jobs.'),
    column('Last Schedule', 'string', 'Information when was the last time the job was successfully scheduled.'),
  ],
  cells(object, now) {
    const spec = obj(object.spec);
    const status = obj(object.status);
    const lastSchedule = status.lastScheduleTime === undefined ? '<none>' : ageSince(status.lastScheduleTime, now);
    return [
      str(spec.schedule),
      str(spec.timeZone) || '<none>',
      spec.suspend === true,
      list(status.active).length,
      lastSchedule,
    ];
  },
  workloadSpec: (object) => obj(obj(obj(object.spec).jobTemplate).spec),
});
