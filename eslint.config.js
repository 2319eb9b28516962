import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'lib/**',
      'dev/lab/build/**',
      'dev/host/build/**',
      'dev/host/test-results/**',
      'jupyterlab_diffraction/**',
      'ui-tests/test-results/**',
      'ui-tests/playwright-report/**',
      'examples/**',
      'dist/**',
      // AssemblyScript (compiled by scripts/build-wasm.mjs, not tsc)
      'src/center/wasm/**',
      'src/center/wasm-binary.ts'
    ]
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        window: 'readonly',
        document: 'readonly',
        self: 'readonly',
        performance: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        URL: 'readonly',
        __dirname: 'readonly',
        require: 'readonly',
        module: 'writable'
      }
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-namespace': 'off',
      eqeqeq: ['error', 'smart'],
      'prefer-const': 'error'
    }
  }
);
