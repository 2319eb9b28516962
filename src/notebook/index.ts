export * from './code.js';
export * from './metadata.js';
