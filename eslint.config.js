// Flat config. typescript-eslint needs the TypeScript 5 JavaScript API, so the
// `typescript` package is pinned to 5.9 for tooling while type-checking uses
// the native TypeScript 7 compiler (`typescript-7`); see README "Toolchain".
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const realmDirs = [
  'contract',
  'usb-mass-storage',
  'virtual-recorder',
  'engine',
  'worker',
  'web',
  'cli',
  'disc-fs',
];
/** Import patterns that reach into another top-level part. */
const into = (...dirs) => dirs.flatMap((d) => [`**/${d}/**`, `../${d}/*`, `../../${d}/*`]);
const without = (...keep) => realmDirs.filter((d) => !keep.includes(d));

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'dist-cli/**',
      'dist-iwa/**',
      'node_modules/**',
      'test-results/**',
      'dev-dist/**',
    ],
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
  // Dependency direction (each folder's README says the same):
  //   contract <- usb-mass-storage <- virtual-recorder
  //   contract, usb-mass-storage <- engine <- worker, cli
  //   web -> contract and disc-fs/src at run time; engine and worker as types only.
  {
    files: ['contract/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: into(...without('contract')),
              message: 'contract is the bottom tier: it imports nothing of ours.',
            },
            {
              group: ['node:*', 'lit', 'lit/*', 'comlink', 'usb'],
              message: 'contract runs in every realm: no platform or UI packages.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['usb-mass-storage/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: into(...without('usb-mass-storage', 'contract')),
              message: 'usb-mass-storage imports no other part but contract.',
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
    // The SCSI layer talks to a CommandRunner (scsi/command.ts), never to BOT;
    // and no production module uses the test helpers.
    files: ['usb-mass-storage/src/scsi/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../bot/*', '**/bot/**', '../testing/*', '**/testing/**'],
              message:
                'scsi/ depends on scsi/command.ts only, never on a transport or test helpers.',
            },
            {
              group: into(...without('usb-mass-storage', 'contract')),
              message: 'usb-mass-storage imports no other part but contract.',
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
              group: into('engine', 'worker', 'web', 'cli'),
              message: 'The virtual recorder uses only usb-mass-storage and contract.',
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
    files: ['engine/**/*.ts'],
    ignores: ['**/*.test.ts', 'engine/test-kit.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: into('worker', 'web', 'cli'),
              message:
                'The engine is platform-neutral: the worker and the CLI hand it devices and drives.',
            },
            {
              group: ['node:*', 'lit', 'lit/*', 'comlink', 'usb'],
              message: 'The engine runs in a worker and in Node: no platform or UI packages.',
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
    files: ['cli/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: into('web', 'worker'),
              message: 'The CLI runs the engine in Node: it never imports the UI or the worker.',
            },
          ],
        },
      ],
    },
  },
  {
    // The image builder runs in the page, a worker and Node: like the engine,
    // no platform packages; it imports contract/ and nothing else of ours.
    files: ['disc-fs/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: into(...without('disc-fs', 'contract')),
              message: 'disc-fs imports no other part but contract.',
            },
            {
              group: ['../node/*', '../../node/*', '**/disc-fs/node/**'],
              message:
                'disc-fs/src is realm-neutral: the Node adapter (disc-fs/node) imports it, not the reverse.',
            },
            {
              group: ['node:*', 'lit', 'lit/*', 'comlink', 'usb'],
              message:
                'disc-fs/src runs in the page, a worker and Node: no platform or UI packages.',
            },
          ],
        },
      ],
    },
  },
  {
    // The Node adapter (directory walker): Node modules, disc-fs/src and contract only.
    files: ['disc-fs/node/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: into(...without('disc-fs', 'contract')),
              message: 'disc-fs imports no other part but contract.',
            },
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
              group: into('engine', 'worker', 'usb-mass-storage', 'virtual-recorder'),
              allowTypeImports: true,
              message:
                'The UI talks to the worker through Comlink: import its types only (`import type`); shared rules come from contract/.',
            },
            { group: into('cli'), message: 'The UI never imports the CLI.' },
            {
              // The image builder runs in the page too (Save as ISO); its Node
              // adapter (disc-fs/node) and its tests do not.
              group: ['**/disc-fs/**', '!**/disc-fs/src', '!**/disc-fs/src/**'],
              message: 'The UI may import disc-fs/src (realm-neutral), never disc-fs/node.',
            },
          ],
        },
      ],
    },
  },
);
