/** The last lines of a component's log, to show with a failure. */
import { open } from 'node:fs/promises';

const TAIL_BYTES = 16 * 1024;

export async function tailLines(path: string, lines: number): Promise<string[]> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, 'r');
    const { size } = await handle.stat();
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    return buffer
      .toString('utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .slice(-lines);
  } catch {
    return [];
  } finally {
    await handle?.close();
  }
}
