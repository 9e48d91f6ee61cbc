// Lint, including the architecture's one-way imports: domain ← db ← services ← {server, cli}; contracts shared;
// web imports only contracts and domain. See docs/architecture.md.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/**
 * One block per layer. ESLint's flat config lets a later block *replace* a rule's options for the files it matches,
 * so the layers must not overlap: each file matches exactly one of these blocks (a sub-layer is listed before its
 * parent and ignored by it). `scripts/layer-rules.test.ts` lints a fixture of each violation and expects each error.
 */
const layerRules = [
  {
    files: ['src/domain/**'],
    layers: ['db', 'services', 'server', 'cli', 'contracts'],
    packages: ['kysely', 'pg', 'fastify', 'node:fs', 'node:child_process'],
    message: 'src/domain is pure: it imports nothing from other layers',
  },
  {
    files: ['src/contracts/**'],
    layers: ['db', 'services', 'server', 'cli'],
    message: 'src/contracts may import only src/domain',
  },
  {
    files: ['src/db/**'],
    layers: ['services', 'server', 'cli', 'contracts'],
    message: 'src/db may import only src/domain',
  },
  {
    files: ['src/services/**'],
    layers: ['server', 'cli'],
    message: 'src/services may not import src/server or src/cli',
  },
  {
    files: ['src/server/routes/**'],
    layers: ['db', 'cli'],
    message: 'route handlers call services, never src/db (nor src/cli)',
  },
  {
    files: ['src/server/**'],
    ignores: ['src/server/routes/**'],
    layers: ['cli'],
    message: 'src/server may not import src/cli',
  },
  {
    files: ['web/**'],
    layers: ['db', 'services', 'server', 'cli'],
    message: 'web may import only src/contracts and src/domain',
  },
];

function layerBlock({ files, ignores = [], layers, packages = [], message }) {
  const group = [
    ...layers.flatMap((l) => [
      `**/src/${l}/**`,
      `../${l}/**`,
      `../../${l}/**`,
      `../../../${l}/**`,
      `../../../../${l}/**`,
    ]),
    ...packages,
  ];
  return {
    files,
    ignores,
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group, message }] }] },
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
  ...layerRules.map(layerBlock),
  {
    files: ['**/*.test.ts', 'e2e/**', 'bench/**', 'scripts/**', 'test/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
