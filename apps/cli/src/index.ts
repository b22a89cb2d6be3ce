export { buildProgram } from './program.js';
export { runCli } from './run.js';
