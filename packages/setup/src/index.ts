export type { SetupBackbone, SetupMeta } from './meta.js';
export { SETUP_FILE, SETUP_SCHEMA_VERSION, setupMetaSchema } from './meta.js';
export type { LoadSetupOptions, SaveSetupOptions } from './persist.js';
export { loadSetup, saveSetup } from './persist.js';
export type { SetupParts } from './setup.js';
export { KAdapterSetup } from './setup.js';
