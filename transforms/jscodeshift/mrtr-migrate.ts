/** Entry point for `jscodeshift -t <this file>`: every transform of the registry, in order. */
import { toJscodeshift } from '../../src/adapters/jscodeshift.js';

export default toJscodeshift();
