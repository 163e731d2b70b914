export { isDNS1123Label, isDNS1123Subdomain } from './names.js';
export { validateObjectName } from './object-name.js';
export { validateCreate, validateUpdate } from './validate.js';
