import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // Type-aware rules on the product's sources (floating promises, unsafe any, misused awaits).
  ...tseslint.configs.recommendedTypeChecked.map((config) => ({ ...config, files: ['src/**/*.{ts,tsx}'] })),
  {
    files: ['src/**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    files: ['**/*.{js,mjs,cjs}', 'bin/*'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', URL: 'readonly' } },
  },
  // Layer boundaries (docs/architecture.md): the contract stays portable and the UI never reaches into the engine.
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'electron', 'electron/*'],
              message: 'src/shared is the contract: no Node or Electron imports.',
            },
            {
              group: ['**/main/**', '**/renderer/**', '**/preload/**', '**/cli/**', '**/harness/**'],
              message: 'src/shared imports nothing outside src/shared.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'electron', 'electron/*'],
              message: 'The renderer is sandboxed web code: no Node or Electron imports.',
            },
            {
              group: ['**/main/**', '**/cli/**', '**/harness/**'],
              message: 'The renderer talks to the engine only through HopscopeApi (src/shared/ipc.ts).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/main/trace/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/mtr/**', '**/mtr', '**/net/**', '**/net', '**/electron/**', 'electron', 'electron/*'],
              message:
                'The trace engine gets mtr-packet, name resolution and error wording injected (sessionDeps.ts); it imports none of them.',
            },
          ],
        },
      ],
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
