import { defineScenario } from '../scenario.js';

export default defineScenario({ call: { tool: 'wait' }, scripts: { forever: [] } });
