export { DEMO_DATA_ROOT, demoData } from './paths.js';
