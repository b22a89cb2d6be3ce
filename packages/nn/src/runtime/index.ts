export type { BackendChoice, BackendReport, InitBackendOptions } from './backend.js';
export { activeBackend, BACKEND_CHOICES, initBackend } from './backend.js';
