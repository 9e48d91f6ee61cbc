// Lint, including the architecture's one-way imports: domain ← db ← services ← {server, cli}; contracts shared;
// web imports only contracts and domain. See docs/architecture.md.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

function forbid(files, layers, message, extra = []) {
  return {
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                ...layers.flatMap((l) => [
                  `**/src/${l}/**`,
                  `../${l}/**`,
                  `../../${l}/**`,
                  `../../../${l}/**`,
                  `../../../../${l}/**`,
                ]),
                ...extra,
              ],
              message,
            },
          ],
        },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ['node_modules/', 'web/dist/', 'data/', 'coverage/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', crypto: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  forbid(
    ['src/domain/**'],
    ['db', 'services', 'server', 'cli', 'contracts'],
    'src/domain is pure: it imports nothing from other layers',
    ['kysely', 'pg', 'fastify', 'node:fs', 'node:child_process'],
  ),
  forbid(
    ['src/contracts/**'],
    ['db', 'services', 'server', 'cli'],
    'src/contracts may import only src/domain',
  ),
  forbid(['src/db/**'], ['services', 'server', 'cli', 'contracts'], 'src/db may import only src/domain'),
  forbid(['src/services/**'], ['server', 'cli'], 'src/services may not import src/server or src/cli'),
  forbid(['src/server/routes/**'], ['db', 'cli'], 'route handlers call services, never src/db'),
  forbid(['src/server/**'], ['cli'], 'src/server may not import src/cli'),
  forbid(['web/**'], ['db', 'services', 'server', 'cli'], 'web may import only src/contracts and src/domain'),
  {
    files: ['**/*.test.ts', 'e2e/**', 'bench/**', 'scripts/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
