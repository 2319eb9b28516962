export * from './factory.js';
export * from './tokens.js';
export * from './widget.js';
