/**
 * The default imagePullPolicy: Always when the image names the "latest" tag (written or
 * implied), IfNotPresent otherwise, as SetDefaults_Container decides it from the image
 * reference (Docker's grammar). An image pinned by digest alone is IfNotPresent.
 */

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*$/;
const DOMAIN =
  /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

/** The tag Kubernetes reads from an image: "latest" when none is written, "" when unparsable or digest-only. */
export function imageTag(image: string): string {
  const at = image.indexOf('@');
  const named = at < 0 ? image : image.slice(0, at);
  const digest = at < 0 ? undefined : image.slice(at + 1);
  if (digest !== undefined && !DIGEST.test(digest)) return '';
  const lastSlash = named.lastIndexOf('/');
  const colon = named.indexOf(':', lastSlash + 1);
  const name = colon < 0 ? named : named.slice(0, colon);
  const tag = colon < 0 ? '' : named.slice(colon + 1);
  if (colon >= 0 && !TAG.test(tag)) return '';
  if (!isValidName(name)) return '';
  if (!tag && digest === undefined) return 'latest';
  return tag;
}

function isValidName(name: string): boolean {
  if (!name) return false;
  const components = name.split('/');
  const first = components[0] ?? '';
  const hasDomain =
    components.length > 1 &&
    (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase());
  if (hasDomain && !DOMAIN.test(first)) return false;
  const path = hasDomain ? components.slice(1) : components;
  return path.length > 0 && path.every((c) => PATH_COMPONENT.test(c));
}

export function defaultImagePullPolicy(image: string | undefined): 'Always' | 'IfNotPresent' {
  return imageTag(image ?? '') === 'latest' ? 'Always' : 'IfNotPresent';
}
