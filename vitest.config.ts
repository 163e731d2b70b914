import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests import workspace packages from their sources, so unit and integration tests
// need no build. End-to-end tests start the built processes (npm run build first).
const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));
// Whole specifiers only (anchored), so '@tkube/api' does not also take '@tkube/api/schema'.
const alias = [
  { find: /^@tkube\/api$/, replacement: src('./packages/api/src/index.ts') },
  { find: /^@tkube\/api\/schema$/, replacement: src('./packages/api/src/schema/entry.ts') },
  { find: /^@tkube\/api\/cri$/, replacement: src('./packages/api/src/cri/index.ts') },
  { find: /^@tkube\/api\/cni$/, replacement: src('./packages/api/src/cni/index.ts') },
  { find: /^@tkube\/client$/, replacement: src('./packages/client/src/index.ts') },
  { find: /^@tkube\/process$/, replacement: src('./packages/process/src/index.ts') },
];

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['{packages,services,plugins}/*/src/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['{packages,services,plugins}/*/src/**/*.int.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
