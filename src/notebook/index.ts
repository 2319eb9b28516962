export * from './bridge.js';
export * from './code.js';
export * from './metadata.js';
export * from './paths.js';
export * from './profile-code.js';
export * from './series-code.js';
