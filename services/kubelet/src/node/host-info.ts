/**
 * What the host offers and is (kube's cadvisor machine info, in small): cores, memory
 * from /proc/meminfo, the root dir's filesystem size, and the identity fields of
 * nodeInfo (OS image, kernel, architecture, machine and boot IDs).
 */
import { readFile, statfs } from 'node:fs/promises';
import { arch, cpus, release } from 'node:os';

export interface HostInfo {
  cpuCores: number;
  memoryKi: number;
  ephemeralStorageKi: number;
  osImage: string;
  kernelVersion: string;
  architecture: string;
  operatingSystem: string;
  machineID: string;
  systemUUID: string;
  bootID: string;
}

export async function readHostInfo(rootDir: string): Promise<HostInfo> {
  const [meminfo, osRelease, machineId, bootId, productUuid, fs] = await Promise.all([
    readFile('/proc/meminfo', 'utf8').catch(() => ''),
    readFile('/etc/os-release', 'utf8').catch(() => ''),
    readFile('/etc/machine-id', 'utf8').catch(() => ''),
    readFile('/proc/sys/kernel/random/boot_id', 'utf8').catch(() => ''),
    readFile('/sys/class/dmi/id/product_uuid', 'utf8').catch(() => ''),
    statfs(rootDir).catch(() => undefined),
  ]);
  return {
    cpuCores: cpus().length,
    memoryKi: memTotalKi(meminfo),
    ephemeralStorageKi: fs ? Math.floor((fs.blocks * fs.bsize) / 1024) : 0,
    osImage: prettyName(osRelease),
    kernelVersion: release(),
    architecture: goArch(arch()),
    operatingSystem: 'linux',
    machineID: machineId.trim(),
    systemUUID: productUuid.trim() || machineId.trim(),
    bootID: bootId.trim(),
  };
}

export function memTotalKi(meminfo: string): number {
  const match = /^MemTotal:\s+(\d+)\s+kB/m.exec(meminfo);
  return match ? Number(match[1]) : 0;
}

export function prettyName(osRelease: string): string {
  const match = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(osRelease);
  return match?.[1] ?? 'Linux';
}

/** Node's arch names to Go's (what kubernetes.io/arch holds). */
export function goArch(nodeArch: string): string {
  const names: Record<string, string> = {
    x64: 'amd64',
    arm64: 'arm64',
    arm: 'arm',
    ia32: '386',
    ppc64: 'ppc64le',
    s390x: 's390x',
  };
  return names[nodeArch] ?? nodeArch;
}
