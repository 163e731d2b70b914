/**
 * pods/binding, the scheduler's write: what kube's BindingREST does to the stored pod.
 * A pod is bound once; binding one that is bound, being deleted or still gated is a
 * conflict, worded as kube-apiserver words it.
 */
import { type Binding, fieldCause, type KubeObject, type StatusCause, StatusError } from '@tkube/api';
import { copyObject, ensureObjectField, isBeingDeleted, metaOf, objectField, rfc3339 } from '../object-meta.js';

/** 422 for a binding without a node to bind to (ValidatePodBinding). */
export function validateBinding(binding: Binding, name: string): void {
  const causes: StatusCause[] = [];
  const target = binding.target;
  if (target?.kind && target.kind !== 'Node') {
    causes.push(
      fieldCause(
        'FieldValueNotSupported',
        'target.kind',
        `Unsupported value: ${JSON.stringify(target.kind)}: supported values: "Node"`,
      ),
    );
  }
  if (!target?.name) causes.push(fieldCause('FieldValueRequired', 'target.name', 'Required value'));
  if (causes.length > 0) throw StatusError.invalid('Binding', name, causes);
}

/** The bound pod, built from the stored one; throws the reason it cannot be bound. */
export function bindPod(binding: Binding, old: KubeObject, now: Date): KubeObject {
  const name = metaOf(old).name ?? '';
  const conflict = (why: string): StatusError =>
    StatusError.conflict({ group: '', resource: 'pods/binding', name }, why);
  const wantedUid = binding.metadata?.uid;
  if (wantedUid && wantedUid !== metaOf(old).uid) {
    throw conflict(
      `Precondition failed: UID in precondition: ${wantedUid}, UID in object meta: ${metaOf(old).uid ?? ''}`,
    );
  }
  const spec = objectField(old, 'spec') ?? {};
  if (isBeingDeleted(old)) throw conflict(`pod ${name} is being deleted, cannot be assigned to a host`);
  if (typeof spec.nodeName === 'string' && spec.nodeName !== '') {
    throw conflict(`pod ${name} is already assigned to node ${JSON.stringify(spec.nodeName)}`);
  }
  if (Array.isArray(spec.schedulingGates) && spec.schedulingGates.length > 0) {
    throw conflict(`pod ${name} has non-empty .spec.schedulingGates`);
  }

  const next = copyObject(old);
  ensureObjectField(next, 'spec').nodeName = binding.target?.name;
  const annotations = binding.metadata?.annotations;
  if (annotations && Object.keys(annotations).length > 0) {
    const meta = metaOf(next);
    meta.annotations = { ...meta.annotations, ...annotations };
  }
  setScheduledCondition(ensureObjectField(next, 'status'), now);
  const version = binding.metadata?.resourceVersion;
  if (version) metaOf(next).resourceVersion = version;
  else delete metaOf(next).resourceVersion;
  return next;
}

/** podutil.UpdatePodCondition for PodScheduled=True: the transition time moves only on change. */
function setScheduledCondition(status: Record<string, unknown>, now: Date): void {
  const conditions = Array.isArray(status.conditions) ? (status.conditions as Array<Record<string, unknown>>) : [];
  const existing = conditions.find((c) => c.type === 'PodScheduled');
  if (existing?.status === 'True') return;
  const condition = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(now) };
  status.conditions = existing ? conditions.map((c) => (c === existing ? condition : c)) : [...conditions, condition];
}
