export * from './image.js';
export * from './errors.js';
export * from './tiff.js';
export * from './writer.js';
export * from './mask-file.js';
export * from './base64.js';
export * from './color.js';
