/**
 * What controllers need of the apiserver and of each other, as narrow interfaces so tests
 * can pass fakes (ApiClient fits ControllerClient).
 */
import type { DeleteOptions, KubeList, KubeObject, Status } from '@tkube/api';
import type {
  ListOptions,
  PatchOptions,
  PatchType,
  ResourceTarget,
  WatchOptions,
  WatchStream,
  WriteOptions,
} from '@tkube/client';

export interface ControllerClient {
  get<T extends KubeObject = KubeObject>(target: ResourceTarget, name: string): Promise<T>;
  list<T extends KubeObject = KubeObject>(target: ResourceTarget, options?: ListOptions): Promise<KubeList<T>>;
  watch<T extends KubeObject = KubeObject>(target: ResourceTarget, options?: WatchOptions): WatchStream<T>;
  create<T extends KubeObject>(target: ResourceTarget, object: T, options?: WriteOptions): Promise<T>;
  update<T extends KubeObject>(target: ResourceTarget, object: T, options?: WriteOptions): Promise<T>;
  updateStatus<T extends KubeObject>(target: ResourceTarget, object: T, options?: WriteOptions): Promise<T>;
  patch<T extends KubeObject = KubeObject>(
    target: ResourceTarget,
    name: string,
    type: PatchType,
    patch: unknown,
    options?: PatchOptions,
  ): Promise<T>;
  delete<T extends KubeObject = KubeObject>(
    target: ResourceTarget,
    name: string,
    options?: DeleteOptions,
  ): Promise<T | Status>;
}

/** The slice of a pino logger controllers use. */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

/** A controller that runs until stopped. */
export interface RunningController {
  readonly name: string;
  stop(): Promise<void>;
}
