export * from './image.js';
export * from './tiff.js';
