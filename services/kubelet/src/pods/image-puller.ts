/**
 * Makes sure a container's image is present, by its imagePullPolicy (kube's
 * EnsureImageExists): Never uses only a present image (ErrImageNeverPull otherwise);
 * IfNotPresent pulls only a missing one; Always pulls every time (the runtime answers a
 * present image without going to a registry when none is reachable). Failed pulls back
 * off (ImagePullBackOff) as crashes do. Events: Pulling, Pulled, Failed, BackOff.
 */
import type { Container, Pod } from '@tkube/api';
import type { PodSandboxConfig } from '@tkube/api/cri';
import { containerFieldPath, type EventRecorder, REASONS } from '../events/recorder.js';
import type { ImageService } from '../runtime/runtime-services.js';
import type { CrashBackoff } from './crash-backoff.js';

export class ImagePullError extends Error {
  override name = 'ImagePullError';
  constructor(
    readonly reason: 'ErrImagePull' | 'ErrImageNeverPull' | 'ImagePullBackOff' | 'InvalidImageName',
    message: string,
  ) {
    super(message);
  }
}

export class ImagePuller {
  /** When each image's last pull failed, to back off from it. */
  private readonly failedAt = new Map<string, number>();

  constructor(
    private readonly images: ImageService,
    private readonly recorder: EventRecorder,
    private readonly backoff: CrashBackoff,
    private readonly now: () => number = Date.now,
  ) {}

  /** The image reference to run (the image ID when known). */
  async ensureImage(
    pod: Pod,
    container: Container,
    sandboxConfig: PodSandboxConfig | undefined,
    init: boolean,
  ): Promise<string> {
    const image = container.image ?? '';
    const fieldPath = containerFieldPath(container.name, init);
    if (image === '')
      throw new ImagePullError(
        'InvalidImageName',
        `Failed to apply default image tag "": couldn't parse image name "": invalid reference format`,
      );
    const policy = container.imagePullPolicy ?? defaultPullPolicy(image);
    const present = policy === 'Always' ? undefined : (await this.images.imageStatus({ image: { image } })).image;
    if (present) {
      this.recorder.event(
        pod,
        'Normal',
        REASONS.pulled,
        `Container image "${image}" already present on machine`,
        fieldPath,
      );
      return present.id || image;
    }
    if (policy === 'Never') {
      const message = `Container image "${image}" is not present with pull policy of Never`;
      this.recorder.event(pod, 'Warning', REASONS.errImageNeverPull, message, fieldPath);
      throw new ImagePullError('ErrImageNeverPull', message);
    }
    const key = `image/${image}`;
    const failedAt = this.failedAt.get(key);
    if (failedAt !== undefined && this.backoff.isInBackOffSince(key, failedAt)) {
      const message = `Back-off pulling image "${image}"`;
      this.recorder.event(pod, 'Normal', REASONS.backOff, message, fieldPath);
      throw new ImagePullError('ImagePullBackOff', message);
    }
    this.recorder.event(pod, 'Normal', REASONS.pulling, `Pulling image "${image}"`, fieldPath);
    const started = this.now();
    try {
      const response = await this.images.pullImage({ image: { image }, sandboxConfig });
      this.failedAt.delete(key);
      const seconds = ((this.now() - started) / 1000).toFixed(3);
      this.recorder.event(
        pod,
        'Normal',
        REASONS.pulled,
        `Successfully pulled image "${image}" in ${seconds}s (${seconds}s including waiting)`,
        fieldPath,
      );
      return response.imageRef || image;
    } catch (err) {
      const failed = this.now();
      this.failedAt.set(key, failed);
      this.backoff.next(key, failed);
      const detail = err instanceof Error ? err.message : String(err);
      const message = `Failed to pull image "${image}": ${detail}`;
      this.recorder.event(pod, 'Warning', REASONS.failed, message, fieldPath);
      throw new ImagePullError('ErrImagePull', message);
    }
  }
}

/** kube's defaulting: Always for ":latest" or no tag, IfNotPresent otherwise. */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  if (image.includes('@')) return 'IfNotPresent';
  const lastSlash = image.lastIndexOf('/');
  const tagAt = image.indexOf(':', lastSlash + 1);
  if (tagAt === -1) return 'Always';
  return image.slice(tagAt + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}
