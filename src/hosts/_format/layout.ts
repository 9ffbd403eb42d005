// Layout facts of a text file that every codec keeps when it edits: indentation unit, line
// ending, final newline, byte-order mark.

export interface Layout {
  indent: string;
  eol: "\n" | "\r\n";
  finalNewline: boolean;
  bom: boolean;
  /**
   * The file writes arrays of scalars one item per line (`"args": [\n  "-y",\n  "x"\n]`) and never
   * on one line: new arrays follow it. Set by the JSON codec; unset means short arrays go inline.
   */
  arrayLines?: boolean;
}

export function detectLayout(text: string, defaultIndent = "  "): Layout {
  const nl = text.indexOf("\n");
  const eol = nl > 0 && text[nl - 1] === "\r" ? "\r\n" : "\n";
  let indent = defaultIndent;
  const m = /\n([ \t]+)\S/.exec(text);
  if (m?.[1]) indent = m[1].startsWith("\t") ? "\t" : m[1];
  return {
    indent,
    eol,
    finalNewline: text.length === 0 || text.endsWith("\n"),
    bom: text.charCodeAt(0) === 0xfeff,
  };
}

/** Whitespace from the start of the line holding `offset` up to the first non-blank. */
export function lineIndent(text: string, offset: number): string {
  const start = text.lastIndexOf("\n", offset - 1) + 1;
  let end = start;
  while (end < text.length && (text[end] === " " || text[end] === "\t")) end++;
  return text.slice(start, end);
}

export interface TextEdit {
  offset: number;
  length: number;
  content: string;
}

/** Applies non-overlapping edits (any order) to a text in one pass. */
export function applyTextEdits(text: string, edits: TextEdit[]): string {
  if (edits.length === 0) return text;
  const sorted = [...edits].sort((a, b) => a.offset - b.offset || a.length - b.length);
  const parts: string[] = [];
  let pos = 0;
  for (const e of sorted) {
    if (e.offset < pos) throw new Error(`Internal error: overlapping edits at offset ${e.offset}`);
    parts.push(text.slice(pos, e.offset), e.content);
    pos = e.offset + e.length;
  }
  parts.push(text.slice(pos));
  return parts.join("");
}
