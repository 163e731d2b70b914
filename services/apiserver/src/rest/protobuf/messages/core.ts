/**
 * k8s.io/api/core/v1 messages: the objects kubectl's generators create (Namespace,
 * ConfigMap, Secret, ServiceAccount, Service) and the pod template they all share.
 */
import {
  bool,
  type FieldSpec,
  inline,
  int32,
  int32s,
  int64,
  int64s,
  intOrString,
  keepZero,
  type MessageSpec,
  type MessageTable,
  map,
  message,
  messages,
  quantity,
  string,
  strings,
  time,
} from '../message-spec.js';
import { core, meta } from './names.js';

const objectMeta = message('metadata', meta('ObjectMeta'));
const localObjectReference = inline(core('LocalObjectReference'));

/** Container and EphemeralContainerCommon share their fields and numbers. */
const CONTAINER_FIELDS: MessageSpec = {
  1: string('name', keepZero),
  2: string('image'),
  3: strings('command'),
  4: strings('args'),
  5: string('workingDir'),
  6: messages('ports', core('ContainerPort')),
  19: messages('envFrom', core('EnvFromSource')),
  7: messages('env', core('EnvVar')),
  8: message('resources', core('ResourceRequirements')),
  23: messages('resizePolicy', core('ContainerResizePolicy')),
  24: string('restartPolicy', keepZero),
  25: messages('restartPolicyRules', core('ContainerRestartRule')),
  9: messages('volumeMounts', core('VolumeMount')),
  21: messages('volumeDevices', core('VolumeDevice')),
  10: message('livenessProbe', core('Probe')),
  11: message('readinessProbe', core('Probe')),
  22: message('startupProbe', core('Probe')),
  12: message('lifecycle', core('Lifecycle')),
  13: string('terminationMessagePath'),
  20: string('terminationMessagePolicy'),
  14: string('imagePullPolicy'),
  15: message('securityContext', core('SecurityContext')),
  16: bool('stdin'),
  17: bool('stdinOnce'),
  18: bool('tty'),
};

/** ConfigMap and Secret volume projections: a LocalObjectReference, items and optional. */
const projection = (): MessageSpec => ({
  1: localObjectReference,
  2: messages('items', core('KeyToPath')),
  4: bool('optional', keepZero),
});

const keySelector = (): MessageSpec => ({
  1: localObjectReference,
  2: string('key', keepZero),
  3: bool('optional', keepZero),
});

const envSource = (): MessageSpec => ({
  1: localObjectReference,
  2: bool('optional', keepZero),
});

const affinityTerms = (): MessageSpec => ({
  1: messages('requiredDuringSchedulingIgnoredDuringExecution', core('PodAffinityTerm')),
  2: messages('preferredDuringSchedulingIgnoredDuringExecution', core('WeightedPodAffinityTerm')),
});

const typedReference = (): Record<number, FieldSpec> => ({
  1: string('apiGroup', keepZero),
  2: string('kind', keepZero),
  3: string('name', keepZero),
});

const OBJECTS: MessageTable = {
  [core('Namespace')]: {
    1: objectMeta,
    2: message('spec', core('NamespaceSpec')),
    3: message('status', core('NamespaceStatus')),
  },
  [core('NamespaceSpec')]: { 1: strings('finalizers') },
  [core('NamespaceStatus')]: {
    1: string('phase'),
    2: messages('conditions', core('NamespaceCondition')),
  },
  [core('NamespaceCondition')]: {
    1: string('type', keepZero),
    2: string('status', keepZero),
    4: time('lastTransitionTime'),
    5: string('reason'),
    6: string('message'),
  },
  [core('ConfigMap')]: {
    1: objectMeta,
    4: bool('immutable', keepZero),
    2: map('data', 'string'),
    3: map('binaryData', 'bytes'),
  },
  [core('Secret')]: {
    1: objectMeta,
    5: bool('immutable', keepZero),
    2: map('data', 'bytes'),
    4: map('stringData', 'string'),
    3: string('type'),
  },
  [core('ServiceAccount')]: {
    1: objectMeta,
    2: messages('secrets', core('ObjectReference')),
    3: messages('imagePullSecrets', core('LocalObjectReference')),
    4: bool('automountServiceAccountToken', keepZero),
  },
  [core('ObjectReference')]: {
    1: string('kind'),
    2: string('namespace'),
    3: string('name'),
    4: string('uid'),
    5: string('apiVersion'),
    6: string('resourceVersion'),
    7: string('fieldPath'),
  },
  [core('LocalObjectReference')]: { 1: string('name') },
  [core('Binding')]: {
    1: objectMeta,
    2: message('target', core('ObjectReference')),
  },
};

const SERVICES: MessageTable = {
  [core('Service')]: {
    1: objectMeta,
    2: message('spec', core('ServiceSpec')),
    3: message('status', core('ServiceStatus')),
  },
  [core('ServiceSpec')]: {
    1: messages('ports', core('ServicePort')),
    2: map('selector', 'string'),
    3: string('clusterIP'),
    18: strings('clusterIPs'),
    4: string('type'),
    5: strings('externalIPs'),
    7: string('sessionAffinity'),
    8: string('loadBalancerIP'),
    9: strings('loadBalancerSourceRanges'),
    10: string('externalName'),
    11: string('externalTrafficPolicy'),
    12: int32('healthCheckNodePort'),
    13: bool('publishNotReadyAddresses'),
    14: message('sessionAffinityConfig', core('SessionAffinityConfig')),
    19: strings('ipFamilies'),
    17: string('ipFamilyPolicy', keepZero),
    20: bool('allocateLoadBalancerNodePorts', keepZero),
    21: string('loadBalancerClass', keepZero),
    22: string('internalTrafficPolicy', keepZero),
    23: string('trafficDistribution', keepZero),
  },
  [core('ServicePort')]: {
    1: string('name'),
    2: string('protocol'),
    6: string('appProtocol', keepZero),
    3: int32('port', keepZero),
    4: intOrString('targetPort'),
    5: int32('nodePort'),
  },
  [core('SessionAffinityConfig')]: { 1: message('clientIP', core('ClientIPConfig')) },
  [core('ClientIPConfig')]: { 1: int32('timeoutSeconds', keepZero) },
  [core('ServiceStatus')]: {
    1: message('loadBalancer', core('LoadBalancerStatus')),
    2: messages('conditions', meta('Condition')),
  },
  [core('LoadBalancerStatus')]: { 1: messages('ingress', core('LoadBalancerIngress')) },
  [core('LoadBalancerIngress')]: {
    1: string('ip'),
    2: string('hostname'),
    3: string('ipMode', keepZero),
    4: messages('ports', core('PortStatus')),
  },
  [core('PortStatus')]: {
    1: int32('port', keepZero),
    2: string('protocol', keepZero),
    3: string('error', keepZero),
  },
};

const PODS: MessageTable = {
  [core('Pod')]: {
    1: objectMeta,
    2: message('spec', core('PodSpec')),
    3: message('status', core('PodStatus')),
  },
  [core('PodTemplateSpec')]: {
    1: objectMeta,
    2: message('spec', core('PodSpec')),
  },
  [core('PodSpec')]: {
    1: messages('volumes', core('Volume')),
    20: messages('initContainers', core('Container')),
    2: messages('containers', core('Container')),
    34: messages('ephemeralContainers', core('EphemeralContainer')),
    3: string('restartPolicy'),
    4: int64('terminationGracePeriodSeconds', keepZero),
    5: int64('activeDeadlineSeconds', keepZero),
    6: string('dnsPolicy'),
    7: map('nodeSelector', 'string'),
    8: string('serviceAccountName'),
    9: string('serviceAccount'),
    21: bool('automountServiceAccountToken', keepZero),
    10: string('nodeName'),
    11: bool('hostNetwork'),
    12: bool('hostPID'),
    13: bool('hostIPC'),
    27: bool('shareProcessNamespace', keepZero),
    14: message('securityContext', core('PodSecurityContext')),
    15: messages('imagePullSecrets', core('LocalObjectReference')),
    16: string('hostname'),
    17: string('subdomain'),
    18: message('affinity', core('Affinity')),
    19: string('schedulerName'),
    22: messages('tolerations', core('Toleration')),
    23: messages('hostAliases', core('HostAlias')),
    24: string('priorityClassName'),
    25: int32('priority', keepZero),
    26: message('dnsConfig', core('PodDNSConfig')),
    28: messages('readinessGates', core('PodReadinessGate')),
    29: string('runtimeClassName', keepZero),
    30: bool('enableServiceLinks', keepZero),
    31: string('preemptionPolicy', keepZero),
    32: map('overhead', 'quantity'),
    33: messages('topologySpreadConstraints', core('TopologySpreadConstraint')),
    35: bool('setHostnameAsFQDN', keepZero),
    36: message('os', core('PodOS')),
    37: bool('hostUsers', keepZero),
    38: messages('schedulingGates', core('PodSchedulingGate')),
    39: messages('resourceClaims', core('PodResourceClaim')),
    40: message('resources', core('ResourceRequirements')),
    41: string('hostnameOverride', keepZero),
    42: message('workloadRef', core('WorkloadReference')),
  },
  [core('PodStatus')]: {
    17: int64('observedGeneration'),
    1: string('phase'),
    2: messages('conditions', core('PodCondition')),
    3: string('message'),
    4: string('reason'),
    11: string('nominatedNodeName'),
    5: string('hostIP'),
    16: messages('hostIPs', core('HostIP')),
    6: string('podIP'),
    12: messages('podIPs', core('PodIP')),
    7: time('startTime'),
    10: messages('initContainerStatuses', core('ContainerStatus')),
    8: messages('containerStatuses', core('ContainerStatus')),
    9: string('qosClass'),
    13: messages('ephemeralContainerStatuses', core('ContainerStatus')),
    14: string('resize'),
  },
  [core('PodCondition')]: {
    1: string('type', keepZero),
    7: int64('observedGeneration'),
    2: string('status', keepZero),
    3: time('lastProbeTime'),
    4: time('lastTransitionTime'),
    5: string('reason'),
    6: string('message'),
  },
  [core('HostIP')]: { 1: string('ip', keepZero) },
  [core('PodIP')]: { 1: string('ip', keepZero) },
  [core('ContainerStatus')]: {
    1: string('name', keepZero),
    2: message('state', core('ContainerState')),
    3: message('lastState', core('ContainerState')),
    4: bool('ready', keepZero),
    5: int32('restartCount', keepZero),
    6: string('image', keepZero),
    7: string('imageID', keepZero),
    8: string('containerID'),
    9: bool('started', keepZero),
    10: map('allocatedResources', 'quantity'),
    11: message('resources', core('ResourceRequirements')),
    15: string('stopSignal', keepZero),
  },
  [core('ContainerState')]: {
    1: message('waiting', core('ContainerStateWaiting')),
    2: message('running', core('ContainerStateRunning')),
    3: message('terminated', core('ContainerStateTerminated')),
  },
  [core('ContainerStateWaiting')]: { 1: string('reason'), 2: string('message') },
  [core('ContainerStateRunning')]: { 1: time('startedAt') },
  [core('ContainerStateTerminated')]: {
    1: int32('exitCode', keepZero),
    2: int32('signal'),
    3: string('reason'),
    4: string('message'),
    5: time('startedAt'),
    6: time('finishedAt'),
    7: string('containerID'),
  },
};

const CONTAINERS: MessageTable = {
  [core('Container')]: CONTAINER_FIELDS,
  [core('EphemeralContainer')]: {
    1: inline(core('EphemeralContainerCommon')),
    2: string('targetContainerName'),
  },
  [core('EphemeralContainerCommon')]: CONTAINER_FIELDS,
  [core('ContainerPort')]: {
    1: string('name'),
    2: int32('hostPort'),
    3: int32('containerPort', keepZero),
    4: string('protocol'),
    5: string('hostIP'),
  },
  [core('ContainerResizePolicy')]: {
    1: string('resourceName', keepZero),
    2: string('restartPolicy', keepZero),
  },
  [core('ContainerRestartRule')]: {
    1: string('action', keepZero),
    2: message('exitCodes', core('ContainerRestartRuleOnExitCodes')),
  },
  [core('ContainerRestartRuleOnExitCodes')]: {
    1: string('operator', keepZero),
    2: int32s('values'),
  },
  [core('EnvFromSource')]: {
    1: string('prefix'),
    2: message('configMapRef', core('ConfigMapEnvSource')),
    3: message('secretRef', core('SecretEnvSource')),
  },
  [core('ConfigMapEnvSource')]: envSource(),
  [core('SecretEnvSource')]: envSource(),
  [core('EnvVar')]: {
    1: string('name', keepZero),
    2: string('value'),
    3: message('valueFrom', core('EnvVarSource')),
  },
  [core('EnvVarSource')]: {
    1: message('fieldRef', core('ObjectFieldSelector')),
    2: message('resourceFieldRef', core('ResourceFieldSelector')),
    3: message('configMapKeyRef', core('ConfigMapKeySelector')),
    4: message('secretKeyRef', core('SecretKeySelector')),
    5: message('fileKeyRef', core('FileKeySelector')),
  },
  [core('ObjectFieldSelector')]: {
    1: string('apiVersion'),
    2: string('fieldPath', keepZero),
  },
  [core('ResourceFieldSelector')]: {
    1: string('containerName'),
    2: string('resource', keepZero),
    3: quantity('divisor'),
  },
  [core('ConfigMapKeySelector')]: keySelector(),
  [core('SecretKeySelector')]: keySelector(),
  [core('FileKeySelector')]: {
    1: string('volumeName', keepZero),
    2: string('path', keepZero),
    3: string('key', keepZero),
    4: bool('optional', keepZero),
  },
  [core('ResourceRequirements')]: {
    1: map('limits', 'quantity'),
    2: map('requests', 'quantity'),
    3: messages('claims', core('ResourceClaim')),
  },
  [core('ResourceClaim')]: {
    1: string('name', keepZero),
    2: string('request'),
  },
  [core('VolumeMount')]: {
    1: string('name', keepZero),
    2: bool('readOnly'),
    7: string('recursiveReadOnly', keepZero),
    3: string('mountPath', keepZero),
    4: string('subPath'),
    5: string('mountPropagation', keepZero),
    6: string('subPathExpr'),
  },
  [core('VolumeDevice')]: {
    1: string('name', keepZero),
    2: string('devicePath', keepZero),
  },
};

const PROBES: MessageTable = {
  [core('Probe')]: {
    1: inline(core('ProbeHandler')),
    2: int32('initialDelaySeconds'),
    3: int32('timeoutSeconds'),
    4: int32('periodSeconds'),
    5: int32('successThreshold'),
    6: int32('failureThreshold'),
    7: int64('terminationGracePeriodSeconds', keepZero),
  },
  [core('ProbeHandler')]: {
    1: message('exec', core('ExecAction')),
    2: message('httpGet', core('HTTPGetAction')),
    3: message('tcpSocket', core('TCPSocketAction')),
    4: message('grpc', core('GRPCAction')),
  },
  [core('Lifecycle')]: {
    1: message('postStart', core('LifecycleHandler')),
    2: message('preStop', core('LifecycleHandler')),
    3: string('stopSignal', keepZero),
  },
  [core('LifecycleHandler')]: {
    1: message('exec', core('ExecAction')),
    2: message('httpGet', core('HTTPGetAction')),
    3: message('tcpSocket', core('TCPSocketAction')),
    4: message('sleep', core('SleepAction')),
  },
  [core('ExecAction')]: { 1: strings('command') },
  [core('HTTPGetAction')]: {
    1: string('path'),
    2: intOrString('port', keepZero),
    3: string('host'),
    4: string('scheme'),
    5: messages('httpHeaders', core('HTTPHeader')),
  },
  [core('HTTPHeader')]: {
    1: string('name', keepZero),
    2: string('value', keepZero),
  },
  [core('TCPSocketAction')]: {
    1: intOrString('port', keepZero),
    2: string('host'),
  },
  [core('GRPCAction')]: {
    1: int32('port', keepZero),
    2: string('service', keepZero),
  },
  [core('SleepAction')]: { 1: int64('seconds', keepZero) },
};

const SECURITY: MessageTable = {
  [core('SecurityContext')]: {
    1: message('capabilities', core('Capabilities')),
    2: bool('privileged', keepZero),
    3: message('seLinuxOptions', core('SELinuxOptions')),
    10: message('windowsOptions', core('WindowsSecurityContextOptions')),
    4: int64('runAsUser', keepZero),
    8: int64('runAsGroup', keepZero),
    5: bool('runAsNonRoot', keepZero),
    6: bool('readOnlyRootFilesystem', keepZero),
    7: bool('allowPrivilegeEscalation', keepZero),
    9: string('procMount', keepZero),
    11: message('seccompProfile', core('SeccompProfile')),
    12: message('appArmorProfile', core('AppArmorProfile')),
    13: messages('ulimits', core('Ulimit')),
  },
  [core('PodSecurityContext')]: {
    1: message('seLinuxOptions', core('SELinuxOptions')),
    8: message('windowsOptions', core('WindowsSecurityContextOptions')),
    2: int64('runAsUser', keepZero),
    6: int64('runAsGroup', keepZero),
    3: bool('runAsNonRoot', keepZero),
    4: int64s('supplementalGroups'),
    12: string('supplementalGroupsPolicy', keepZero),
    5: int64('fsGroup', keepZero),
    7: messages('sysctls', core('Sysctl')),
    9: string('fsGroupChangePolicy', keepZero),
    10: message('seccompProfile', core('SeccompProfile')),
    11: message('appArmorProfile', core('AppArmorProfile')),
    13: string('seLinuxChangePolicy', keepZero),
  },
  [core('Capabilities')]: { 1: strings('add'), 2: strings('drop') },
  [core('SELinuxOptions')]: {
    1: string('user'),
    2: string('role'),
    3: string('type'),
    4: string('level'),
  },
  [core('WindowsSecurityContextOptions')]: {
    1: string('gmsaCredentialSpecName', keepZero),
    2: string('gmsaCredentialSpec', keepZero),
    3: string('runAsUserName', keepZero),
    4: bool('hostProcess', keepZero),
  },
  [core('SeccompProfile')]: {
    1: string('type', keepZero),
    2: string('localhostProfile', keepZero),
  },
  [core('AppArmorProfile')]: {
    1: string('type', keepZero),
    2: string('localhostProfile', keepZero),
  },
  [core('Ulimit')]: {
    1: string('name', keepZero),
    2: int64('hard', keepZero),
    3: int64('soft', keepZero),
  },
  [core('Sysctl')]: {
    1: string('name', keepZero),
    2: string('value', keepZero),
  },
};

const SCHEDULING: MessageTable = {
  [core('Toleration')]: {
    1: string('key'),
    2: string('operator'),
    3: string('value'),
    4: string('effect'),
    5: int64('tolerationSeconds', keepZero),
  },
  [core('HostAlias')]: {
    1: string('ip', keepZero),
    2: strings('hostnames'),
  },
  [core('PodDNSConfig')]: {
    1: strings('nameservers'),
    2: strings('searches'),
    3: messages('options', core('PodDNSConfigOption')),
  },
  [core('PodDNSConfigOption')]: {
    1: string('name'),
    2: string('value', keepZero),
  },
  [core('PodReadinessGate')]: { 1: string('conditionType', keepZero) },
  [core('PodOS')]: { 1: string('name', keepZero) },
  [core('PodSchedulingGate')]: { 1: string('name', keepZero) },
  [core('PodResourceClaim')]: {
    1: string('name', keepZero),
    3: string('resourceClaimName', keepZero),
    4: string('resourceClaimTemplateName', keepZero),
  },
  [core('WorkloadReference')]: {
    1: string('name', keepZero),
    2: string('podGroup', keepZero),
    3: string('podGroupReplicaKey'),
  },
  [core('TopologySpreadConstraint')]: {
    1: int32('maxSkew', keepZero),
    2: string('topologyKey', keepZero),
    3: string('whenUnsatisfiable', keepZero),
    4: message('labelSelector', meta('LabelSelector')),
    5: int32('minDomains', keepZero),
    6: string('nodeAffinityPolicy', keepZero),
    7: string('nodeTaintsPolicy', keepZero),
    8: strings('matchLabelKeys'),
  },
  [core('Affinity')]: {
    1: message('nodeAffinity', core('NodeAffinity')),
    2: message('podAffinity', core('PodAffinity')),
    3: message('podAntiAffinity', core('PodAntiAffinity')),
  },
  [core('NodeAffinity')]: {
    1: message('requiredDuringSchedulingIgnoredDuringExecution', core('NodeSelector')),
    2: messages('preferredDuringSchedulingIgnoredDuringExecution', core('PreferredSchedulingTerm')),
  },
  [core('NodeSelector')]: { 1: messages('nodeSelectorTerms', core('NodeSelectorTerm')) },
  [core('NodeSelectorTerm')]: {
    1: messages('matchExpressions', core('NodeSelectorRequirement')),
    2: messages('matchFields', core('NodeSelectorRequirement')),
  },
  [core('NodeSelectorRequirement')]: {
    1: string('key', keepZero),
    2: string('operator', keepZero),
    3: strings('values'),
  },
  [core('PreferredSchedulingTerm')]: {
    1: int32('weight', keepZero),
    2: message('preference', core('NodeSelectorTerm')),
  },
  [core('PodAffinity')]: affinityTerms(),
  [core('PodAntiAffinity')]: affinityTerms(),
  [core('PodAffinityTerm')]: {
    1: message('labelSelector', meta('LabelSelector')),
    2: strings('namespaces'),
    3: string('topologyKey', keepZero),
    4: message('namespaceSelector', meta('LabelSelector')),
    5: strings('matchLabelKeys'),
    6: strings('mismatchLabelKeys'),
  },
  [core('WeightedPodAffinityTerm')]: {
    1: int32('weight', keepZero),
    2: message('podAffinityTerm', core('PodAffinityTerm')),
  },
};

/** The common volume sources; the others (cloud disks, iSCSI, ...) answer "not supported". */
const VOLUMES: MessageTable = {
  [core('Volume')]: {
    1: string('name', keepZero),
    2: inline(core('VolumeSource')),
  },
  [core('VolumeSource')]: {
    1: message('hostPath', core('HostPathVolumeSource')),
    2: message('emptyDir', core('EmptyDirVolumeSource')),
    6: message('secret', core('SecretVolumeSource')),
    7: message('nfs', core('NFSVolumeSource')),
    10: message('persistentVolumeClaim', core('PersistentVolumeClaimVolumeSource')),
    16: message('downwardAPI', core('DownwardAPIVolumeSource')),
    19: message('configMap', core('ConfigMapVolumeSource')),
    26: message('projected', core('ProjectedVolumeSource')),
    28: message('csi', core('CSIVolumeSource')),
    29: message('ephemeral', core('EphemeralVolumeSource')),
    30: message('image', core('ImageVolumeSource')),
  },
  [core('HostPathVolumeSource')]: {
    1: string('path', keepZero),
    2: string('type', keepZero),
  },
  [core('EmptyDirVolumeSource')]: {
    1: string('medium'),
    2: quantity('sizeLimit', keepZero),
  },
  [core('SecretVolumeSource')]: {
    1: string('secretName'),
    2: messages('items', core('KeyToPath')),
    3: int32('defaultMode', keepZero),
    4: bool('optional', keepZero),
  },
  [core('ConfigMapVolumeSource')]: {
    1: localObjectReference,
    2: messages('items', core('KeyToPath')),
    3: int32('defaultMode', keepZero),
    4: bool('optional', keepZero),
  },
  [core('KeyToPath')]: {
    1: string('key', keepZero),
    2: string('path', keepZero),
    3: int32('mode', keepZero),
  },
  [core('NFSVolumeSource')]: {
    1: string('server', keepZero),
    2: string('path', keepZero),
    3: bool('readOnly'),
  },
  [core('PersistentVolumeClaimVolumeSource')]: {
    1: string('claimName', keepZero),
    2: bool('readOnly'),
  },
  [core('DownwardAPIVolumeSource')]: {
    1: messages('items', core('DownwardAPIVolumeFile')),
    2: int32('defaultMode', keepZero),
  },
  [core('DownwardAPIVolumeFile')]: {
    1: string('path', keepZero),
    2: message('fieldRef', core('ObjectFieldSelector')),
    3: message('resourceFieldRef', core('ResourceFieldSelector')),
    4: int32('mode', keepZero),
  },
  [core('ProjectedVolumeSource')]: {
    1: messages('sources', core('VolumeProjection')),
    2: int32('defaultMode', keepZero),
  },
  [core('VolumeProjection')]: {
    1: message('secret', core('SecretProjection')),
    2: message('downwardAPI', core('DownwardAPIProjection')),
    3: message('configMap', core('ConfigMapProjection')),
    4: message('serviceAccountToken', core('ServiceAccountTokenProjection')),
    5: message('clusterTrustBundle', core('ClusterTrustBundleProjection')),
  },
  [core('SecretProjection')]: projection(),
  [core('ConfigMapProjection')]: projection(),
  [core('DownwardAPIProjection')]: { 1: messages('items', core('DownwardAPIVolumeFile')) },
  [core('ServiceAccountTokenProjection')]: {
    1: string('audience'),
    2: int64('expirationSeconds', keepZero),
    3: string('path', keepZero),
  },
  [core('ClusterTrustBundleProjection')]: {
    1: string('name', keepZero),
    2: string('signerName', keepZero),
    3: message('labelSelector', meta('LabelSelector')),
    5: bool('optional', keepZero),
    4: string('path', keepZero),
  },
  [core('CSIVolumeSource')]: {
    1: string('driver', keepZero),
    2: bool('readOnly', keepZero),
    3: string('fsType', keepZero),
    4: map('volumeAttributes', 'string'),
    5: message('nodePublishSecretRef', core('LocalObjectReference')),
  },
  [core('EphemeralVolumeSource')]: {
    1: message('volumeClaimTemplate', core('PersistentVolumeClaimTemplate')),
  },
  [core('PersistentVolumeClaimTemplate')]: {
    1: objectMeta,
    2: message('spec', core('PersistentVolumeClaimSpec')),
  },
  [core('PersistentVolumeClaimSpec')]: {
    1: strings('accessModes'),
    4: message('selector', meta('LabelSelector')),
    2: message('resources', core('VolumeResourceRequirements')),
    3: string('volumeName'),
    5: string('storageClassName', keepZero),
    6: string('volumeMode', keepZero),
    7: message('dataSource', core('TypedLocalObjectReference')),
    8: message('dataSourceRef', core('TypedObjectReference')),
    9: string('volumeAttributesClassName', keepZero),
  },
  [core('VolumeResourceRequirements')]: {
    1: map('limits', 'quantity'),
    2: map('requests', 'quantity'),
  },
  [core('TypedLocalObjectReference')]: typedReference(),
  [core('TypedObjectReference')]: { ...typedReference(), 4: string('namespace', keepZero) },
  [core('ImageVolumeSource')]: {
    1: string('reference'),
    2: string('pullPolicy'),
  },
};

export const CORE_MESSAGES: MessageTable = {
  ...OBJECTS,
  ...SERVICES,
  ...PODS,
  ...CONTAINERS,
  ...PROBES,
  ...SECURITY,
  ...SCHEDULING,
  ...VOLUMES,
};
