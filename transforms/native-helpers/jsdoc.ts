/**
 * A JavaScript helper typed by JSDoc, under `checkJs`, says what it now takes and returns:
 *
 *   @param {string[]} headlines            ⇒  … @param {import('@modelcontextprotocol/server').ServerContext} [ctx]
 *   @returns {Promise<string>}             ⇒  @returns {Promise<string | import('…').InputRequiredResult>}
 */
import { Node, type JSDoc, type JSDocTag } from '../../src/ts-morph.js';
import type { FunctionLikeNode } from '../../src/analysis/functions.js';
import { lineStartOf, type TextEdit } from '../../src/edit/text-edits.js';

const SERVER = "import('@modelcontextprotocol/server')";

export function jsdocEdits(fn: FunctionLikeNode, ctx: string): TextEdit[] {
  const doc = docOf(fn);
  if (!doc) return [];
  const tags = doc.getTags();
  const edits: TextEdit[] = [];
  const params = tags.filter((tag) => Node.isJSDocParameterTag(tag));
  const last = params.at(-1);
  if (last) {
    const next = tags[tags.indexOf(last) + 1];
    const text = fn.getSourceFile().getFullText();
    const prefix = text.slice(lineStartOf(text, last.getStart()), last.getStart());
    const line = `@param {${SERVER}.ServerContext} [${ctx}]`;
    // Before the tag that follows, or on a line of its own above the closing `*/`.
    if (next) edits.push({ start: next.getStart(), end: next.getStart(), text: `${line}\n${prefix}` });
    else {
      const close = doc.getEnd() - 2;
      const closeLine = lineStartOf(text, close);
      edits.push({ start: closeLine, end: closeLine, text: `${prefix}${line}\n` });
    }
  }
  const widened = returnsWidened(tags);
  if (widened) edits.push(widened);
  return edits;
}

function docOf(fn: FunctionLikeNode): JSDoc | undefined {
  if (Node.isJSDocable(fn)) return fn.getJsDocs().at(-1);
  // `const brief = async (…) => …`: the comment belongs to the statement.
  const statement = fn.getParent()?.getParent()?.getParent();
  return statement && Node.isVariableStatement(statement) ? statement.getJsDocs().at(-1) : undefined;
}

/** `{Promise<string>}` ⇒ `{Promise<string | …InputRequiredResult>}`. */
function returnsWidened(tags: readonly JSDocTag[]): TextEdit | undefined {
  const returns = tags.find((tag) => Node.isJSDocReturnTag(tag));
  if (!returns || !Node.isJSDocReturnTag(returns)) return undefined;
  const type = returns.getTypeExpression()?.getTypeNode();
  if (!type || !Node.isTypeReference(type) || type.getTypeName().getText() !== 'Promise') return undefined;
  const [inner] = type.getTypeArguments();
  if (!inner || inner.getText().includes('InputRequiredResult')) return undefined;
  return { start: inner.getEnd(), end: inner.getEnd(), text: ` | ${SERVER}.InputRequiredResult` };
}
