export { linguistic as default } from './linguistic.js';
