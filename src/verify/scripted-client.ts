/**
 * A client's side of a conversation, scripted: the answers it gives when the server asks, in
 * order, and every question it was asked, in the shape that compares across eras.
 */

/** One scripted answer: to an elicitation, a sampling request or a roots listing. */
export type Answer =
  | {
      readonly elicit:
        | { readonly action: 'accept'; readonly content: Readonly<Record<string, unknown>> }
        | { readonly action: 'decline' }
        | { readonly action: 'cancel' };
    }
  | { readonly sample: { readonly text: string; readonly model?: string } }
  | { readonly roots: readonly { readonly uri: string; readonly name?: string }[] };

export interface Question {
  readonly method: string;
  readonly params: unknown;
}

/** Hands out scripted answers and records each question; an unscripted question fails the case. */
export class ScriptedClient {
  readonly questions: Question[] = [];
  private next = 0;

  constructor(private readonly answers: readonly Answer[]) {}

  answer(method: string, params: unknown): unknown {
    this.questions.push({ method, params: normalize(params) });
    const answer = this.answers[this.next++];
    if (!answer) throw new Error(`unscripted ${method} request (#${this.next})`);
    if (method === 'elicitation/create' && 'elicit' in answer) return answer.elicit;
    if (method === 'sampling/createMessage' && 'sample' in answer) {
      // In the order the SDK's result schema prints a parsed result: a 2026-07-28 handler reads the
      // answer unparsed, so code that serializes the whole result shows the client's key order.
      return {
        model: answer.sample.model ?? 'scripted-model',
        stopReason: 'endTurn',
        role: 'assistant',
        content: { type: 'text', text: answer.sample.text },
      };
    }
    if (method === 'roots/list' && 'roots' in answer) return { roots: answer.roots };
    throw new Error(`script expected a different request than ${method} at answer #${this.next}`);
  }
}

/**
 * Transport details that differ between eras without changing meaning: `_meta` (progress
 * tokens, server info), the default `mode: 'form'` the SDKs fill in, and URL elicitation's
 * `elicitationId`, an opaque correlation id that 2026-07-28 removed and the legacy shim
 * synthesises (the codemod reports the drop as mrtr/elicitation-id-dropped).
 */
export function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value).sort(([a], [b]) => a.localeCompare(b))) {
    if (key === '_meta' || key === '$schema' || key === 'elicitationId') continue;
    // Caching hints the SDK fills in when it encodes a 2026-07-28 result; the 2025 era has none.
    if (key === 'cacheScope' || key === 'ttlMs') continue;
    if (key === 'mode' && inner === 'form') continue;
    if (inner === undefined) continue;
    out[key] = normalize(inner);
  }
  return out;
}
