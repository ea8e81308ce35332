import { defineScenario } from '../scenario.js';

export default defineScenario({
  call: { tool: 'send', arguments: { id: 'm1' } },
  scripts: { decline: [{ elicit: { action: 'decline' } }] },
});
