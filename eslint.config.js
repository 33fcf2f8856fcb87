// Flat config. typescript-eslint needs the TypeScript 5 JavaScript API, so the
// `typescript` package is pinned to 5.9 for tooling while type-checking uses
// the native TypeScript 7 compiler (`typescript-7`); see README "Toolchain".
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const realmDirs = ['usb-mass-storage', 'virtual-recorder', 'worker', 'web', 'cli'];
/** Import patterns that reach into another top-level part. */
const into = (...dirs) => dirs.flatMap((d) => [`**/${d}/**`, `../${d}/*`, `../../${d}/*`]);
const without = (...keep) => realmDirs.filter((d) => !keep.includes(d));

export default tseslint.config(
  {
    ignores: ['dist/**', 'dist-iwa/**', 'node_modules/**', 'test-results/**', 'dev-dist/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector: 'TSEnumDeclaration[const=true]',
          message: 'Use an `as const` object (esbuild/Vite cannot inline const enums).',
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  // Dependency direction: web -> worker (types only) -> usb-mass-storage.
  {
    files: ['usb-mass-storage/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: into(...without()),
              message: 'usb-mass-storage is the bottom layer: it imports no other part.',
            },
            {
              group: ['node:*', 'lit', 'lit/*', 'comlink', 'usb'],
              message: 'usb-mass-storage is pure: no platform or UI packages.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['virtual-recorder/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: into('worker', 'web', 'cli'),
              message: 'The virtual recorder uses only usb-mass-storage.',
            },
            {
              group: ['node:*', 'lit', 'lit/*', 'comlink', 'usb'],
              message:
                'The virtual recorder runs in the page, a worker and Node: no platform packages.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['worker/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: into('web', 'cli'), message: 'The worker never imports the UI or the CLI.' },
          ],
        },
      ],
    },
  },
  {
    files: ['web/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: into('worker', 'usb-mass-storage', 'virtual-recorder'),
              allowTypeImports: true,
              message:
                'The UI talks to the worker through Comlink: import its types only (`import type`).',
            },
            { group: into('cli'), message: 'The UI never imports the CLI.' },
          ],
        },
      ],
    },
  },
);
