/** Jest runs the TypeScript sources as native ES modules (ts-jest, ESM mode). */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    // Sources import siblings with the `.js` extension (ESM style); map to the `.ts` file.
    '^(\\.{1,2}/.*)\\.js$': '$1'
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.test.json', diagnostics: false }]
  },
  testMatch: ['<rootDir>/tests/**/*.test.ts'],
  testTimeout: 60000
};
