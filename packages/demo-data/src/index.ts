export { DEMO_DATA_ROOT, demoData } from './paths.js';
export { tinyAdapterConfig } from './tiny-adapter.js';
