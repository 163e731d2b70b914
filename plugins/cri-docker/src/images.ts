/**
 * ImageService over Docker's image store. A pull of an image that is present answers from
 * the local store and never touches the network.
 */

import type { AuthConfig, FilesystemUsage, Image, ImageFilter, ImageSpec } from '@tkube/api/cri';
import type { DockerEngine, ImageDetails, RegistryAuth } from './docker/engine.js';
import { engineFailure, invalidArgument } from './errors.js';
import { nowNanos } from './timestamps.js';

export function imageOf(details: ImageDetails, pinned: boolean): Image {
  const user = details.user.split(':')[0] ?? '';
  const image: Image = {
    id: details.id,
    repoTags: details.repoTags,
    repoDigests: details.repoDigests,
    size: BigInt(Math.max(0, Math.trunc(details.size))),
    username: '',
    spec: { image: details.id, annotations: {}, userSpecifiedImage: '' },
    pinned,
  };
  if (/^\d+$/.test(user)) image.uid = { value: BigInt(user) };
  else image.username = user;
  return image;
}

function authOf(auth: AuthConfig | undefined): RegistryAuth | undefined {
  if (!auth) return undefined;
  const result: RegistryAuth = {};
  if (auth.username) result.username = auth.username;
  if (auth.password) result.password = auth.password;
  if (auth.auth) result.auth = auth.auth;
  if (auth.serverAddress) result.serveraddress = auth.serverAddress;
  if (auth.identityToken) result.identitytoken = auth.identityToken;
  if (auth.registryToken) result.registrytoken = auth.registryToken;
  return Object.keys(result).length ? result : undefined;
}

function referenceOf(spec: ImageSpec | undefined): string {
  const reference = spec?.image?.trim();
  if (!reference) throw invalidArgument('an image reference is required');
  return reference;
}

export class ImageService {
  constructor(
    private readonly engine: DockerEngine,
    /** Kept from garbage collection (the sandbox image). */
    private readonly pinnedImage: string,
  ) {}

  async list(filter: ImageFilter | undefined): Promise<Image[]> {
    let images: ImageDetails[];
    try {
      images = await this.engine.listImages();
    } catch (err) {
      throw engineFailure(err, 'list images');
    }
    const pinnedId = await this.pinnedId();
    let selected = images;
    const wanted = filter?.image?.image;
    if (wanted) {
      const match = await this.inspect(wanted);
      selected = match ? images.filter((image) => image.id === match.id) : [];
    }
    return selected.map((image) => imageOf(image, image.id === pinnedId));
  }

  async status(spec: ImageSpec | undefined): Promise<Image | undefined> {
    const details = await this.inspect(referenceOf(spec));
    return details && imageOf(details, details.id === (await this.pinnedId()));
  }

  /** The image's id (the same value Image.id and Container.image_id carry). */
  async pull(spec: ImageSpec | undefined, auth: AuthConfig | undefined): Promise<string> {
    const reference = referenceOf(spec);
    const present = await this.inspect(reference);
    if (present) return present.id;
    try {
      await this.engine.pullImage(reference, authOf(auth));
    } catch (err) {
      throw engineFailure(err, `pull image "${reference}"`);
    }
    const pulled = await this.inspect(reference);
    if (!pulled)
      throw engineFailure(new Error('the image is not in the store after the pull'), `pull image "${reference}"`);
    return pulled.id;
  }

  /** Removes the image under every name it has; a missing image is success. */
  async remove(spec: ImageSpec | undefined): Promise<void> {
    const reference = referenceOf(spec);
    const details = await this.inspect(reference);
    if (!details) return;
    try {
      for (const tag of details.repoTags) await this.engine.removeImage(tag);
      if (await this.inspect(details.id)) await this.engine.removeImage(details.id);
    } catch (err) {
      throw engineFailure(err, `remove image "${reference}"`);
    }
  }

  async fsInfo(): Promise<FilesystemUsage[]> {
    try {
      const [dataRoot, used] = await Promise.all([this.engine.dataRoot(), this.engine.layersSize()]);
      return [
        {
          timestamp: nowNanos(),
          fsId: { mountpoint: dataRoot },
          usedBytes: { value: BigInt(Math.max(0, Math.trunc(used))) },
          inodesUsed: { value: 0n },
        },
      ];
    } catch (err) {
      throw engineFailure(err, 'image filesystem usage');
    }
  }

  private async inspect(reference: string): Promise<ImageDetails | undefined> {
    try {
      return await this.engine.inspectImage(reference);
    } catch (err) {
      throw engineFailure(err, `inspect image "${reference}"`);
    }
  }

  private async pinnedId(): Promise<string | undefined> {
    return (await this.engine.inspectImage(this.pinnedImage).catch(() => undefined))?.id;
  }
}
