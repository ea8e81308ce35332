import { defineScenario } from '../scenario.js';

export default defineScenario({
  call: { tool: 'reserve', arguments: { seat: '12A' } },
  scripts: { accept: [{ elicit: { action: 'accept', content: { keep: true } } }] },
});
