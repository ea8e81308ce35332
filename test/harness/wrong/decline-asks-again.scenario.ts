import { defineScenario } from '../scenario.js';

export default defineScenario({
  call: { tool: 'confirm' },
  scripts: { decline: [{ elicit: { action: 'decline' } }, { elicit: { action: 'decline' } }] },
});
