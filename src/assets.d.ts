// Text assets imported with `with { type: "text" }` and embedded in the binary.
declare module "*.txt" {
  const text: string;
  export default text;
}

// jsonc-parser's parser alone (its main module also loads the formatter, whose string tables cost
// start-up time every run); the package has no exports map, and the parser is the same function
// main.js re-exports.
declare module "jsonc-parser/lib/esm/impl/parser.js" {
  export { parseTree } from "jsonc-parser";
}
