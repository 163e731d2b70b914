/**
 * SyncPod and KillPod (kube's kuberuntime_manager.go), for one pod at a time:
 * 1. compute the actions (and wait, doing nothing, while a sandbox on the pod network is
 * needed but the node has no pod CIDR yet); 2. kill the pod when its sandbox must be recreated, else kill
 * the containers that must not run; 3. create the sandbox and set up its network;
 * 4. start the next init container, or 5. the app containers to start. Each start goes
 * through the crash back-off, the image puller, the env and mounts, CreateContainer,
 * StartContainer and the PostStart hook; what fails is reported per container (the
 * waiting reason the status shows), never thrown.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Container, Node, Pod } from '@tkube/api';
import type { DNSConfig, PodSandboxConfig } from '@tkube/api/cri';
import type { Logger } from 'pino';
import { containerEnv, type EnvContext } from '../env/container-env.js';
import { ContainerConfigError } from '../env/errors.js';
import { containerFieldPath, type EventRecorder, REASONS } from '../events/recorder.js';
import type { NetworkStore } from '../network/network-store.js';
import { NO_POD_CIDR_YET } from '../network/pod-cidr.js';
import { hashContainer } from '../runtime/container-hash.js';
import { PRE_STOP_ANNOTATION, TERMINATION_GRACE_ANNOTATION } from '../runtime/labels.js';
import type { ContainerRuntimeStatus, PodRuntimeStatus, SandboxRuntimeStatus } from '../runtime/pod-runtime-status.js';
import { findContainer, netnsPathOf, runtimeManagedIps } from '../runtime/pod-runtime-status.js';
import type { NetworkPlugin, RuntimeService } from '../runtime/runtime-services.js';
import type { StartFailure } from '../status/container-statuses.js';
import { etcHostsContent } from '../volumes/etc-hosts.js';
import { containerMounts, MountError } from '../volumes/mounts.js';
import { computePodActions, type ProbeVerdicts } from './compute-pod-actions.js';
import { containerConfig } from './container-config.js';
import type { CrashBackoff } from './crash-backoff.js';
import type { PodDns } from './dns-config.js';
import { ImagePullError, type ImagePuller } from './image-puller.js';
import { runLifecycleHook } from './lifecycle-hooks.js';
import type { PodDirs } from './pod-dirs.js';
import { sandboxConfig } from './sandbox-config.js';

/** kube's minimumGracePeriodInSeconds: a stop always gets this long after a PreStop hook. */
const MIN_GRACE_SECONDS = 2;
const DEFAULT_GRACE_SECONDS = 30;
const HOOK_TIMEOUT_MS = 30_000;
/** kube's NetworkNotReadyErrorMsg: what a pod's sync fails with while the pod network cannot be set up. */
export const NETWORK_NOT_READY = 'network is not ready';

export interface PodSyncerDeps {
  runtime: RuntimeService;
  network: NetworkPlugin;
  networkStore: NetworkStore;
  images: ImagePuller;
  recorder: EventRecorder;
  backoff: CrashBackoff;
  dirs: PodDirs;
  /** The pod's DNS configuration for its sandbox (kube's dns.Configurer); throws when the host's file is unreadable. */
  dns: { podDns(pod: Pod): Promise<PodDns> };
  /** The node's name, for the events kube posts on the Node. */
  nodeName?: string;
  probes: ProbeVerdicts;
  /** The env context of a pod once its IPs are known. */
  envContext(pod: Pod, podIps: string[]): EnvContext;
  nodeIp: string;
  /** The node's pod CIDR (the runtime has it too); undefined until the Node has one. */
  podCidr: () => string | undefined;
  logger: Logger;
  now?: () => number;
}

export interface SyncPodResult {
  /** Why containers could not start, by container name (the status' waiting reasons). */
  failures: Map<string, StartFailure>;
  /** Containers started in this sync: their old failures are over. */
  started: Set<string>;
  /** Sync again after this many milliseconds (a back-off ends). */
  retryAfterMs?: number;
  /** The sandbox could not be made: the whole sync failed and is retried. */
  sandboxError?: string;
}

export class PodSyncer {
  private readonly now: () => number;

  constructor(private readonly deps: PodSyncerDeps) {
    this.now = deps.now ?? Date.now;
  }

  async syncPod(pod: Pod, status: PodRuntimeStatus, volumePaths: ReadonlyMap<string, string>): Promise<SyncPodResult> {
    const result: SyncPodResult = { failures: new Map(), started: new Set() };
    const actions = computePodActions(pod, status, this.deps.probes);
    const { recorder } = this.deps;

    if (actions.createSandbox && !pod.spec?.hostNetwork && !this.deps.podCidr()) {
      // Neither the network plugin nor a runtime that hands out IPs itself can address the
      // pod yet: no sandbox until node IPAM gave the node its CIDR (the sync is retried).
      const message = `${NETWORK_NOT_READY}: ${NO_POD_CIDR_YET}`;
      recorder.event(pod, 'Warning', REASONS.networkNotReady, message);
      result.sandboxError = message;
      return result;
    }

    if (actions.killPod) {
      if (actions.createSandbox && status.sandboxes.length > 0) {
        recorder.event(pod, 'Normal', REASONS.sandboxChanged, 'Pod sandbox changed, it will be killed and re-created.');
      }
      await this.killPod(pod, status);
      if (actions.createSandbox) await this.removeContainersOf(status, 'init');
    } else {
      await Promise.all(
        [...actions.containersToKill].map(([id, kill]) => {
          const current = status.containers.find((c) => c.id === id);
          if (!current) return Promise.resolve();
          const grace =
            kill.reason === 'LivenessProbe' ? kill.container.livenessProbe?.terminationGracePeriodSeconds : undefined;
          return this.killContainer(pod, current, kill.container, kill.message, grace ?? undefined);
        }),
      );
    }

    let sandbox: { id: string; ips: string[]; config: PodSandboxConfig } | undefined;
    if (actions.createSandbox) {
      try {
        const config = sandboxConfig(pod, actions.attempt, this.deps.dirs, await this.dnsForNewSandbox(pod));
        sandbox = { ...(await this.createSandbox(pod, config)), config };
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        recorder.event(pod, 'Warning', REASONS.failedCreatePodSandBox, `Failed to create pod sandbox: ${message}`);
        result.sandboxError = message;
        return result;
      }
    } else {
      const current = status.sandboxes.find((s) => s.id === actions.sandboxId);
      if (current) {
        // The running sandbox has its resolver file already: this copy only informs CreateContainer.
        const dns = await this.deps.dns.podDns(pod).then(
          (formed) => formed.config,
          () => undefined,
        );
        const config = sandboxConfig(pod, actions.attempt, this.deps.dirs, dns);
        sandbox = { id: current.id, ips: current.ips, config };
      }
    }
    if (!sandbox) return result;

    const start = async (container: Container, init: boolean) => {
      const failure = await this.startContainer(pod, container, init, status, sandbox, volumePaths);
      if (!failure) result.started.add(container.name);
      if (failure) {
        result.failures.set(container.name, { reason: failure.reason, message: failure.message });
        if (failure.retryAfterMs !== undefined) {
          result.retryAfterMs = Math.min(result.retryAfterMs ?? Number.POSITIVE_INFINITY, failure.retryAfterMs);
        }
      }
    };

    if (actions.nextInitContainerToStart) {
      await start(actions.nextInitContainerToStart, true);
      return result;
    }
    const containers = pod.spec?.containers ?? [];
    await Promise.all(actions.containersToStart.map((index) => start(containers[index] as Container, false)));
    await this.pruneDead(status);
    return result;
  }

  /** Stops every running container (PreStop first, within the grace period), the network and the sandboxes. */
  async killPod(pod: Pod | undefined, status: PodRuntimeStatus, gracePeriodSeconds?: number): Promise<void> {
    const specs = [...(pod?.spec?.containers ?? []), ...(pod?.spec?.initContainers ?? [])];
    await Promise.all(
      status.containers
        .filter((c) => c.state === 'running' || c.state === 'created' || c.state === 'unknown')
        .map((c) =>
          this.killContainer(
            pod,
            c,
            specs.find((s) => s.name === c.name),
            `Stopping container ${c.name}`,
            gracePeriodSeconds,
          ),
        ),
    );
    for (const sandbox of status.sandboxes) {
      await this.tearDownNetwork(status.uid, sandbox);
      if (sandbox.ready) await this.deps.runtime.stopPodSandbox({ podSandboxId: sandbox.id });
    }
  }

  /** Removes every container and sandbox of the pod from the runtime (after killPod). */
  async removePod(status: PodRuntimeStatus): Promise<void> {
    for (const container of status.containers) {
      await this.deps.runtime.removeContainer({ containerId: container.id }).catch(() => undefined);
    }
    for (const sandbox of status.sandboxes) {
      await this.tearDownNetwork(status.uid, sandbox);
      await this.deps.runtime.removePodSandbox({ podSandboxId: sandbox.id });
    }
    await this.deps.networkStore.delete(status.uid);
    this.deps.backoff.forgetPrefix(`${status.uid}/`);
  }

  /** The DNS configuration of a sandbox about to be made; its warnings become events, as in kube. */
  private async dnsForNewSandbox(pod: Pod): Promise<DNSConfig> {
    const { config, warnings } = await this.deps.dns.podDns(pod);
    for (const warning of warnings) {
      this.deps.recorder.event(pod, 'Warning', warning.reason, warning.message);
      if (warning.alsoOnNode && this.deps.nodeName) {
        this.deps.recorder.event(nodeRef(this.deps.nodeName), 'Warning', warning.reason, warning.alsoOnNode);
      }
      this.deps.logger.warn({ pod: pod.metadata?.name, reason: warning.reason }, warning.message);
    }
    return config;
  }

  private async createSandbox(pod: Pod, config: PodSandboxConfig): Promise<{ id: string; ips: string[] }> {
    const uid = pod.metadata?.uid ?? '';
    await mkdir(config.logDirectory, { recursive: true });
    const { podSandboxId: id } = await this.deps.runtime.runPodSandbox({ config });
    let ips: string[];
    let netnsPath = '';
    if (pod.spec?.hostNetwork) {
      ips = [this.deps.nodeIp];
    } else {
      try {
        const sandboxStatus = await this.deps.runtime.podSandboxStatus({ podSandboxId: id, verbose: true });
        netnsPath = netnsPathOf(sandboxStatus.info) ?? '';
        const runtimeIps = runtimeManagedIps(sandboxStatus);
        if (!netnsPath && runtimeIps.length > 0) {
          // The runtime networks its pods itself (cri-fake, a CRI with its own CNI): take its IP.
          await this.deps.networkStore.set(uid, { sandboxId: id, netnsPath, ips: runtimeIps });
          return this.finishSandbox(pod, config, id, runtimeIps);
        }
        if (!netnsPath) throw new Error(`the runtime did not say where the network namespace of sandbox ${id} is`);
        const podCidr = this.deps.podCidr();
        const added = await this.deps.network.add({
          containerId: id,
          netns: netnsPath,
          ifname: 'eth0',
          args: cniArgs(pod, id),
          runtimeConfig: {
            portMappings: config.portMappings.map((p) => ({
              hostPort: p.hostPort,
              containerPort: p.containerPort,
              protocol: ['tcp', 'udp', 'sctp'][p.protocol] ?? 'tcp',
              hostIp: p.hostIp,
            })),
            // The node's block, for a network plugin started without one (host-local's "ranges").
            ipRanges: podCidr ? [{ ranges: [{ subnet: podCidr, gateway: '' }] }] : [],
          },
        });
        ips = added.ips.map((ip) => ip.address.split('/')[0] ?? ip.address);
        await this.deps.networkStore.set(uid, { sandboxId: id, netnsPath, ips, result: added });
      } catch (err) {
        // A sandbox without its network is useless: leave nothing behind, the next sync retries.
        await this.deps.runtime.stopPodSandbox({ podSandboxId: id }).catch(() => undefined);
        await this.deps.runtime.removePodSandbox({ podSandboxId: id }).catch(() => undefined);
        const message = err instanceof Error ? err.message : String(err);
        throw new Error(
          `failed to set up sandbox container "${id}" network for pod "${pod.metadata?.name ?? ''}": ${message}`,
        );
      }
    }
    if (pod.spec?.hostNetwork) await this.deps.networkStore.set(uid, { sandboxId: id, netnsPath, ips });
    return this.finishSandbox(pod, config, id, ips);
  }

  private async finishSandbox(
    pod: Pod,
    config: PodSandboxConfig,
    id: string,
    ips: string[],
  ): Promise<{ id: string; ips: string[] }> {
    const podDir = this.deps.dirs.podDir(pod.metadata?.uid ?? '');
    await mkdir(podDir, { recursive: true });
    await writeFile(join(podDir, 'etc-hosts'), etcHostsContent(ips, config.hostname));
    this.deps.logger.debug({ pod: pod.metadata?.name, sandbox: id, ips }, 'created the pod sandbox');
    return { id, ips };
  }

  private async tearDownNetwork(uid: string, sandbox: SandboxRuntimeStatus): Promise<void> {
    const recorded = this.deps.networkStore.get(uid, sandbox.id);
    if (!recorded || recorded.netnsPath === '') return;
    await this.deps.network.del({
      containerId: sandbox.id,
      netns: recorded.netnsPath,
      ifname: 'eth0',
      ...(recorded.result ? { prevResult: recorded.result } : {}),
    });
    await this.deps.networkStore.delete(uid);
  }

  /** Starts one container; answers why it could not, or undefined when it runs. */
  private async startContainer(
    pod: Pod,
    container: Container,
    init: boolean,
    status: PodRuntimeStatus,
    sandbox: { id: string; ips: string[]; config: PodSandboxConfig },
    volumePaths: ReadonlyMap<string, string>,
  ): Promise<(StartFailure & { retryAfterMs?: number }) | undefined> {
    const { recorder, backoff, runtime } = this.deps;
    const uid = pod.metadata?.uid ?? '';
    const fieldPath = containerFieldPath(container.name, init);
    const hash = hashContainer(container);
    const previous = findContainer(status, container.name);

    if (previous && previous.state === 'exited') {
      const key = `${uid}/${container.name}/${hash}`;
      const exitedAt = previous.finishedAt || this.now();
      if (backoff.isInBackOffSince(key, exitedAt)) {
        const seconds = Math.round(backoff.delayOf(key) / 1000);
        recorder.event(
          pod,
          'Warning',
          REASONS.backOff,
          `Back-off restarting failed container ${container.name} in pod ${podDescription(pod)}`,
          fieldPath,
        );
        return {
          reason: 'CrashLoopBackOff',
          message: `back-off ${seconds}s restarting failed container=${container.name} pod=${podDescription(pod)}`,
          retryAfterMs: backoff.remaining(key, exitedAt) + 50,
        };
      }
      backoff.next(key, exitedAt);
    }

    let imageRef: string;
    try {
      imageRef = await this.deps.images.ensureImage(pod, container, sandbox.config, init);
    } catch (err) {
      if (err instanceof ImagePullError) return { reason: err.reason, message: err.message, retryAfterMs: 10_000 };
      return { reason: 'ErrImagePull', message: String(err), retryAfterMs: 10_000 };
    }

    const restartCount = previous ? previous.restartCount + 1 : 0;
    let config: ReturnType<typeof containerConfig>;
    try {
      const env = await containerEnv(pod, container, this.deps.envContext(pod, sandbox.ips));
      const etcHosts = pod.spec?.hostNetwork ? undefined : join(this.deps.dirs.podDir(uid), 'etc-hosts');
      const mounts = containerMounts(container, volumePaths, etcHosts);
      config = containerConfig({
        pod,
        container,
        type: init ? 'init' : 'app',
        imageRef,
        restartCount,
        hash,
        env,
        mounts,
      });
    } catch (err) {
      if (err instanceof ContainerConfigError || err instanceof MountError) {
        recorder.event(pod, 'Warning', REASONS.failed, `Error: ${err.message}`, fieldPath);
        return { reason: 'CreateContainerConfigError', message: err.message, retryAfterMs: 5_000 };
      }
      throw err;
    }

    await mkdir(join(sandbox.config.logDirectory, container.name), { recursive: true });
    let containerId: string;
    try {
      ({ containerId } = await runtime.createContainer({
        podSandboxId: sandbox.id,
        config,
        sandboxConfig: sandbox.config,
      }));
    } catch (err) {
      const message = errorText(err);
      recorder.event(pod, 'Warning', REASONS.failed, `Error: ${message}`, fieldPath);
      return { reason: 'CreateContainerError', message, retryAfterMs: 5_000 };
    }
    recorder.event(pod, 'Normal', REASONS.created, `Created container: ${container.name}`, fieldPath);
    try {
      await runtime.startContainer({ containerId });
    } catch (err) {
      const message = errorText(err);
      recorder.event(pod, 'Warning', REASONS.failed, `Error: ${message}`, fieldPath);
      return { reason: 'RunContainerError', message, retryAfterMs: 5_000 };
    }
    recorder.event(pod, 'Normal', REASONS.started, `Started container ${container.name}`, fieldPath);

    const postStart = container.lifecycle?.postStart;
    if (postStart) {
      const failure = await runLifecycleHook(postStart, {
        runtime,
        containerId,
        container,
        podIp: sandbox.ips[0] ?? '',
        timeoutMs: HOOK_TIMEOUT_MS,
      });
      if (failure) {
        recorder.event(pod, 'Warning', REASONS.failedPostStartHook, failure, fieldPath);
        await runtime.stopContainer({ containerId, timeout: 0 }).catch(() => undefined);
        return { reason: 'PostStartHookError', message: failure };
      }
    }
    return undefined;
  }

  private async killContainer(
    pod: Pod | undefined,
    current: ContainerRuntimeStatus,
    spec: Container | undefined,
    message: string,
    gracePeriodSeconds?: number,
  ): Promise<void> {
    let grace =
      gracePeriodSeconds ??
      pod?.metadata?.deletionGracePeriodSeconds ??
      pod?.spec?.terminationGracePeriodSeconds ??
      (Number(current.annotations[TERMINATION_GRACE_ANNOTATION]) || DEFAULT_GRACE_SECONDS);
    const fieldPath = containerFieldPath(current.name, current.type === 'init');
    if (pod) this.deps.recorder.event(pod, 'Normal', REASONS.killing, message, fieldPath);
    const preStop = spec?.lifecycle?.preStop ?? parsePreStop(current.annotations[PRE_STOP_ANNOTATION]);
    if (preStop && current.state === 'running' && grace > 0) {
      const started = this.now();
      const failure = await runLifecycleHook(preStop, {
        runtime: this.deps.runtime,
        containerId: current.id,
        container: spec ?? { name: current.name },
        podIp: '',
        timeoutMs: grace * 1000,
      }).catch((err: unknown) => errorText(err));
      if (failure && pod) this.deps.recorder.event(pod, 'Warning', REASONS.failedPreStopHook, failure, fieldPath);
      grace -= Math.floor((this.now() - started) / 1000);
    }
    // Always a short window for SIGTERM to work (kube's minimum), shorter only when the
    // deletion itself asked for less (a forced delete: 1 s).
    grace = Math.max(
      grace,
      gracePeriodSeconds !== undefined && gracePeriodSeconds < MIN_GRACE_SECONDS ? 1 : MIN_GRACE_SECONDS,
    );
    try {
      await this.deps.runtime.stopContainer(
        { containerId: current.id, timeout: grace },
        { timeoutMs: (grace + 30) * 1000 },
      );
    } catch (err) {
      if (pod) this.deps.recorder.event(pod, 'Warning', REASONS.failedKillPod, `error killing pod: ${errorText(err)}`);
      throw err;
    }
  }

  private async removeContainersOf(status: PodRuntimeStatus, type: 'init'): Promise<void> {
    for (const container of status.containers.filter((c) => c.type === type)) {
      await this.deps.runtime.removeContainer({ containerId: container.id }).catch(() => undefined);
    }
  }

  /** Removes dead containers beyond the two newest of each name (current and last state) and dead sandboxes. */
  private async pruneDead(status: PodRuntimeStatus): Promise<void> {
    const seen = new Map<string, number>();
    const kept = new Set<string>();
    for (const container of status.containers) {
      const count = (seen.get(container.name) ?? 0) + 1;
      seen.set(container.name, count);
      if (count > 2 && container.state === 'exited') {
        await this.deps.runtime.removeContainer({ containerId: container.id }).catch(() => undefined);
      } else kept.add(container.sandboxId);
    }
    for (const sandbox of status.sandboxes.slice(1)) {
      if (!sandbox.ready && !kept.has(sandbox.id)) {
        await this.deps.runtime.removePodSandbox({ podSandboxId: sandbox.id }).catch(() => undefined);
      }
    }
  }
}

function cniArgs(pod: Pod, sandboxId: string): Record<string, string> {
  return {
    K8S_POD_NAMESPACE: pod.metadata?.namespace ?? 'default',
    K8S_POD_NAME: pod.metadata?.name ?? '',
    K8S_POD_UID: pod.metadata?.uid ?? '',
    K8S_POD_INFRA_CONTAINER_ID: sandboxId,
  };
}

/** kube's format.Pod: "name_namespace(uid)". */
export function podDescription(pod: Pod): string {
  return `${pod.metadata?.name ?? ''}_${pod.metadata?.namespace ?? ''}(${pod.metadata?.uid ?? ''})`;
}

function parsePreStop(text: string | undefined) {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as NonNullable<NonNullable<Container['lifecycle']>['preStop']>;
  } catch {
    return undefined;
  }
}

function errorText(err: unknown): string {
  if (err && typeof err === 'object' && 'details' in err && typeof err.details === 'string' && err.details) {
    return err.details;
  }
  return err instanceof Error ? err.message : String(err);
}

/** kube's node reference for events: the node's name stands in for its uid. */
function nodeRef(name: string): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, uid: name } };
}
