export * from './wgs84.js';
export * from './georeference.js';
export * from './cot-event.js';
export * from './geojson.js';
export * from './cot-target.js';
