/**
 * The source fields of a core/v1 Volume, in the order Kubernetes' validation checks them
 * (pkg/apis/core/validation validateVolumeSource). A volume names exactly one; one that
 * names none is defaulted to an emptyDir.
 */
export const VOLUME_SOURCES = [
  'hostPath',
  'emptyDir',
  'gitRepo',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'flocker',
  'persistentVolumeClaim',
  'rbd',
  'quobyte',
  'cephfs',
  'cinder',
  'downwardAPI',
  'fc',
  'azureFile',
  'configMap',
  'vsphereVolume',
  'photonPersistentDisk',
  'portworxVolume',
  'azureDisk',
  'scaleIO',
  'projected',
  'storageos',
  'csi',
  'ephemeral',
  'image',
  'flexVolume',
] as const;

export type VolumeSource = (typeof VOLUME_SOURCES)[number];
