export { applyDefaults } from './apply-defaults.js';
