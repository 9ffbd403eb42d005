// The `yaml` package, evaluated on first use. Most runs never need it: hatch's own state and
// Goose's file are read by the fast reader (yaml-subset.ts) and new entries are appended without a
// Document, and evaluating the package costs ~7 ms of every start-up (compiled binary, measured
// with Bun 1.4.5: a require() that is not reached leaves the module unevaluated, an import does
// not). The bundler still compiles the package into the binary: the specifier is a literal; it is
// the ES module yaml-pkg.ts, which the bundler puts in a chunk of its own, loaded at the call.
import type * as Yaml from "yaml";
import type { Alias, Pair, Scalar, YAMLMap, YAMLSeq } from "yaml";

type Pkg = typeof import("./yaml-pkg.ts");
let pkg: Pkg | undefined;

/** The package, loaded (and evaluated) on the first call. */
export function yamlLib(): typeof Yaml {
  pkg ??= require("./yaml-pkg.ts") as Pkg;
  return pkg.yaml;
}

/** The package's util entry (its tags), loaded on the first call. */
export function yamlUtil(): typeof import("yaml/util") {
  pkg ??= require("./yaml-pkg.ts") as Pkg;
  return pkg.util;
}

// The node tests the codec calls everywhere, as functions of this module so call sites stay short;
// each loads the package, which a caller holding a node has loaded already.
export const isAlias = (n: unknown): n is Alias => yamlLib().isAlias(n);
export const isMap = (n: unknown): n is YAMLMap => yamlLib().isMap(n);
export const isPair = (n: unknown): n is Pair => yamlLib().isPair(n);
export const isScalar = (n: unknown): n is Scalar => yamlLib().isScalar(n);
export const isSeq = (n: unknown): n is YAMLSeq => yamlLib().isSeq(n);
