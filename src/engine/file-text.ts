/**
 * The bytes around the code that transforms must never disturb: BOM, line endings and the
 * shebang. Transforms see LF-only text without a BOM; `restore` puts the file's own form back.
 */
export interface FileEnvelope {
  readonly bom: boolean;
  /** True only when every line break is CRLF, so converting back cannot touch a lone LF. */
  readonly crlf: boolean;
  readonly shebang: string | undefined;
}

export function openText(raw: string): { text: string; envelope: FileEnvelope } {
  const bom = raw.charCodeAt(0) === 0xfeff;
  let text = bom ? raw.slice(1) : raw;
  const crlfCount = (text.match(/\r\n/g) ?? []).length;
  const lfCount = (text.match(/\n/g) ?? []).length;
  const crlf = crlfCount > 0 && crlfCount === lfCount;
  if (crlf) text = text.replace(/\r\n/g, '\n');
  const shebang = /^#![^\n]*\n/.exec(text)?.[0];
  return { text, envelope: { bom, crlf, shebang } };
}

export function restoreText(text: string, envelope: FileEnvelope): string {
  let out = text;
  if (envelope.shebang && !out.startsWith('#!')) out = envelope.shebang + out;
  if (envelope.crlf) out = out.replace(/\n/g, '\r\n');
  if (envelope.bom) out = '\uFEFF' + out;
  return out;
}
