// ESLint flat config for Linkscope's TypeScript: the UI (ui/src) and the end-to-end tests (tests/).
// The one architectural rule it enforces (STYLE.md 13): only ui/src/ipc/** may import @tauri-apps/*.
import js from '@eslint/js';
import globals from 'globals';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const tauriOnlyInIpc = {
  patterns: [
    {
      group: ['@tauri-apps/*', '@tauri-apps/**'],
      message: 'Only ui/src/ipc/ talks to Tauri: import the typed function from the ipc module instead.',
    },
  ],
};

export default tseslint.config(
  {
    ignores: ['ui/dist/**', 'ui/src/bindings/**', 'node_modules/**', 'target/**', 'src-tauri/**', 'tests/artifacts/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['ui/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks, 'jsx-a11y': jsxA11y },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...jsxA11y.flatConfigs.strict.rules,
      // Our field components render the <input>/<select> a wrapping <label> names.
      'jsx-a11y/label-has-associated-control': [
        'error',
        { controlComponents: ['TextInput', 'Select', 'AccountPicker'], assert: 'either', depth: 3 },
      ],
      // Focus goes into a field only when the user just asked for it (rename, the bank search of
      // the picker they opened), which is what a screen-reader user expects too.
      'jsx-a11y/no-autofocus': 'off',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', tauriOnlyInIpc],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // The IPC module is the single door to Tauri.
    files: ['ui/src/ipc/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['ui/vite.config.ts', 'eslint.config.js'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // End-to-end tests (the lead's): TypeScript run by node.
    files: ['tests/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': ['error', tauriOnlyInIpc],
    },
  },
);
