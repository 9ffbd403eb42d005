// The codec interface: each file format parses text to a plain value and applies structural
// edits to the text without re-printing what it does not touch.
import type { Edit } from "../../core/edits.ts";

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
   * The codec re-parses every edit's result and compares the whole document with the expected
   * value (throwing otherwise), so a caller need not parse the result again to check it.
   */
  readonly checksEdits?: boolean;
}
