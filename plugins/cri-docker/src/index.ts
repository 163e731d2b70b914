/**
 * @tkube/cri-docker: the CRI server over Docker, as a library (the binary is main.ts).
 */

export { DockerodeEngine } from './docker/dockerode-engine.js';
export type { ContainerSpec, DockerEngine } from './docker/engine.js';
export type { CriDockerFlags } from './flags.js';
export { parseFlags } from './flags.js';
export type { CriDockerOptions, RunningCriDocker } from './plugin.js';
export { startCriDocker } from './plugin.js';
