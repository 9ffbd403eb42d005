import { expect, test } from "bun:test";
import codex from "../codex.ts";
import { toml as facade } from "./toml-lazy.ts";
import { toml } from "./toml.ts";

const text = `# mine\nmodel = "o3"\n\n[mcp_servers.a]\ncommand = "npx"\nargs = ["-y", "a"]\n`;

test("the facade is what the TOML hosts use, and answers as the codec does", () => {
  expect(codex.format).toBe(facade);
  expect(facade.name).toBe(toml.name);
  expect(facade.checksEdits).toBe(toml.checksEdits);
  expect(facade.parse(text, "c.toml")).toEqual(toml.parse(text, "c.toml"));
  const edits = [{ path: ["mcp_servers", "b"], value: { command: "uvx", args: ["b"] } }];
  const edited = facade.edit(text, edits, "c.toml");
  expect(edited).toBe(toml.edit(text, edits, "c.toml"));
  expect(edited).toContain("# mine");
  expect(() => facade.parse("[mcp_servers\n", "bad.toml")).toThrow(/bad\.toml/);
});
