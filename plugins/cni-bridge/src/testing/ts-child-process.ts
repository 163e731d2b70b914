/**
 * Runs a snippet of ES module code in a separate Node process that can import this
 * repository's TypeScript sources directly (Node's type stripping, plus a resolve hook
 * mapping `.js` specifiers to their `.ts` files, and `@tkube/api/cni` and `@tkube/process`
 * to their sources), so unit tests can exercise cross-process behaviour without a build.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPOSITORY_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

const HOOKS = `
import { registerHooks } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
const root = ${JSON.stringify(REPOSITORY_ROOT)};
registerHooks({
  resolve(specifier, context, next) {
    if (specifier === '@tkube/api/cni') {
      return { url: pathToFileURL(root + 'packages/api/src/cni/index.ts').href, shortCircuit: true };
    }
    if (specifier === '@tkube/process') {
      return { url: pathToFileURL(root + 'packages/process/src/index.ts').href, shortCircuit: true };
    }
    if (specifier.startsWith('.') && specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
      const source = new URL(specifier.slice(0, -3) + '.ts', context.parentURL);
      if (existsSync(fileURLToPath(source))) return { url: source.href, shortCircuit: true };
    }
    return next(specifier, context);
  },
});
`;

/** The file URL of a source file of this package, for `await import(...)` in a snippet. */
export function sourceUrl(relativeToSrc: string): string {
  return pathToFileURL(`${REPOSITORY_ROOT}plugins/cni-bridge/src/${relativeToSrc}`).href;
}

/** Runs `code` (an ES module body, top-level await allowed) and resolves with its stdout. */
export function runTsSnippet(code: string, timeoutMs = 30_000): Promise<string> {
  const args = [
    '--experimental-transform-types',
    '--no-warnings',
    '--import',
    `data:text/javascript,${encodeURIComponent(HOOKS)}`,
    '--input-type=module',
    '--eval',
    code,
  ];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error) reject(new Error(`child process failed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}
