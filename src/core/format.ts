// The codec interface: each file format parses text to a plain value and applies structural
// edits to the text without re-printing what it does not touch.
import type { Edit } from "./edits.ts";

export type FormatName = "json" | "jsonc" | "toml" | "yaml";

export interface FileFormat {
  readonly name: FormatName;
  /**
   * Parses a whole file to a plain value (`undefined` for an empty file).
   * @throws HostParseError with line and column
   */
  parse(text: string, path: string): unknown;
  /** Applies edits; no edits returns `text` itself. New files start from `text === ""`. */
  edit(text: string, edits: readonly Edit[], path: string): string;
  /**
   * The codec checks every edit's result against the expected document (throwing otherwise):
   * by parsing the whole result, or, for the edits it can prove locally, by parsing only what
   * changed with what surrounds it shown not to change its meaning. A caller need not parse the
   * result again to check it.
   */
  readonly checksEdits?: boolean;
}
