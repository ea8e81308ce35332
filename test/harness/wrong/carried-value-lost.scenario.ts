import { defineScenario } from '../scenario.js';

export default defineScenario({
  call: { tool: 'greet' },
  scripts: {
    accept: [{ elicit: { action: 'accept', content: { name: 'Ada' } } }, { elicit: { action: 'accept', content: { greeting: 'Hello' } } }],
  },
});
