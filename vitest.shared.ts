import { defineConfig } from 'vitest/config';

/**
 * One vitest configuration for every package: workspace packages are resolved to their sources
 * (the "@kadapter/source" export condition), tests run in forked processes (tfjs' wasm backend
 * keeps a large heap per process) and get generous timeouts (model code on CPU).
 */
const conditions = ['@kadapter/source', 'module', 'node', 'import', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['node', 'import', 'default'] } },
  test: {
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    include: ['test/**/*.test.ts'],
  },
});
