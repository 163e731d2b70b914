import type { Logger } from '../types.js';

/** A logger that drops everything: for tests. */
export const silentLogger: Logger = {
  info: () => {},
  warn: () => {},
  error: () => {},
  debug: () => {},
};
