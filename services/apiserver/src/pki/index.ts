export type { CertificatePaths, ServingCertificateOptions, ServingCertificates } from './serving-certificates.js';
export { certificatePaths, ensureServingCertificates, servingIsUsable } from './serving-certificates.js';
export type { SubjectAltNames } from './subject-alt-names.js';
export { DEFAULT_KUBERNETES_SERVICE_IP, subjectAltNames } from './subject-alt-names.js';
