// The `yaml` package (and its util entry, for the string tag), as one ES module for yaml-lib.ts to
// require(): the bundler gives a require()'d ES module a chunk of its own, loaded at the call, so
// a run that never touches YAML's full parser or printer does not load the package's 220 KB.
import * as yaml from "yaml";
import * as util from "yaml/util";

export { util, yaml };
