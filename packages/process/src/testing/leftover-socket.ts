import { rename } from 'node:fs/promises';
import { createServer } from 'node:net';

/** Leaves a socket file at `path` whose server is gone, as a crashed process leaves it. */
export async function leftoverSocket(path: string): Promise<void> {
  // A closing server removes its own file, so the file is moved away from under it first.
  const previous = createServer();
  const listening = `${path}.listening`;
  await new Promise<void>((resolve) => previous.listen(listening, resolve));
  await rename(listening, path);
  await new Promise((resolve) => previous.close(resolve));
}
