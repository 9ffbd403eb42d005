// The TOML codec (toml.ts, its fragment reader and smol-toml) in a chunk of its own, evaluated when
// a TOML file is first read or written: the hosts that use it (Codex, Mistral Vibe) name this
// facade, so a run that touches no TOML file does not load the codec. As for yaml-lib.ts: the
// specifier is a literal, so the bundler compiles the module into the binary, and a require()'d
// ES module gets a chunk of its own, loaded at the call.
import type { FileFormat } from "../../core/format.ts";

type Codec = typeof import("./toml.ts");
let codec: Codec | undefined;
const load = (): FileFormat => (codec ??= require("./toml.ts") as Codec).toml;

/** TOML, as toml.ts's `toml` (which checks its own edits). */
export const toml: FileFormat = {
  checksEdits: true,
  name: "toml",
  parse: (text, path) => load().parse(text, path),
  edit: (text, edits, path) => load().edit(text, edits, path),
};
