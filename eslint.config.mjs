import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const services = ['gateway', 'auth', 'tenant', 'billing', 'chat-orchestrator', 'stt', 'analytics', 'web'];
const libs = ['type:contracts', 'type:util', 'type:data-access', 'type:testing'];

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '.cache/**',
      '.nx/**',
      'coverage/**',
      'helm/**',
      'k8s/**',
      'docker/**',
    ],
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-unsafe-function-type': 'off',
      '@typescript-eslint/require-await': 'off',
      // Services never import each other; libs never import services; apps only through lib entry points.
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          banTransitiveDependencies: false,
          depConstraints: [
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:contracts', 'type:util'] },
            {
              sourceTag: 'type:data-access',
              onlyDependOnLibsWithTags: ['type:contracts', 'type:util', 'type:data-access', 'type:testing'],
            },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: libs },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: libs },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: libs },
            { sourceTag: 'type:bench', onlyDependOnLibsWithTags: libs },
            { sourceTag: 'type:workspace', onlyDependOnLibsWithTags: libs },
            ...services.map((name) => ({
              sourceTag: `scope:${name}`,
              onlyDependOnLibsWithTags: [`scope:${name}`, 'scope:shared'],
            })),
          ],
        },
      ],
    },
  },
  {
    // Tests read JSON bodies and Kafka payloads as `any` and assert them field by field.
    files: ['**/*.spec.ts', '**/*.int-spec.ts', 'tests/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  prettier,
);
