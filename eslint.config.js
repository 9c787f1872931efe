import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

// Pure decision code stays free of frameworks and I/O, so a unit test calls it directly and it
// runs the same in every app; hashing (node:crypto) and worker threads are computation, not I/O.
const IO_AND_FRAMEWORKS = [
  {
    group: ['@nestjs/*', 'typeorm', 'bullmq', 'ioredis', 'pg', 'socket.io', 'socket.io-client', 'express'],
    message: 'pure libraries do not use frameworks, databases or queues',
  },
  {
    group: [
      '@voxelfleet/transport',
      '@voxelfleet/persistence',
      '@voxelfleet/platform',
      '@voxelfleet/observability',
    ],
    message: 'pure libraries do not reach I/O libraries',
  },
  {
    group: [
      'node:fs',
      'node:fs/*',
      'node:child_process',
      'node:http',
      'node:https',
      'node:dgram',
      'node:net',
      'fs',
      'child_process',
      'http',
      'https',
      'net',
    ],
    message: 'pure libraries do no I/O',
  },
];
const PURE_LIBRARIES = [
  'libs/scheduling/src/**/*.ts',
  'libs/contracts/src/**/*.ts',
  'libs/voxel/src/**/*.ts',
  'libs/auth/src/rbac/**/*.ts',
  'libs/audit/src/*.ts',
];
const APPS = ['gateway', 'scheduler', 'gpu-node', 'tracker', 'console'];

/** An app may not import another app: shared code belongs in libs/ (apps/stack composes them all). */
const appBoundaries = APPS.map((app) => ({
  files: [`apps/${app}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: APPS.filter((other) => other !== app).map((other) => ({
          group: [`**/${other}/src/**`, `**/apps/${other}/**`],
          message: `apps/${app} may not import apps/${other}; move what both need to libs/`,
        })),
      },
    ],
  },
}));

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'coverage/',
      'libs/cuda/build/',
      'apps/console/web/dist/',
      '.device/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: PURE_LIBRARIES,
    // Tests and test support may read fixtures; the CoT address check uses node:net's isIP.
    ignores: ['**/*.spec.ts', 'libs/voxel/src/testing/**', 'libs/voxel/src/geo/cot-target.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: IO_AND_FRAMEWORKS }] },
  },
  ...appBoundaries,
  { files: ['**/*.js', '**/*.cjs', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  prettier,
);
