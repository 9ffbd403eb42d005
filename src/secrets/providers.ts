// Password managers as reference providers: 1Password (`${op:VAULT/ITEM/FIELD}` through
// `op read op://VAULT/ITEM/FIELD`) and pass (`${pass:PATH}` through `pass show PATH`, first line).
// Each runs only its program with the reference as its one argument (core/envrefs.ts has checked
// it: no leading "-", no "..", no control characters), never a shell, never a command from a file.
import type { ProviderRef } from "../core/envrefs.ts";
import { UsageError } from "../core/errors.ts";
import { firstLine, type Runner } from "./run.ts";

const PROGRAMS = {
  op: { program: "op", label: "the 1Password CLI", install: "https://developer.1password.com/docs/cli" },
  pass: {
    program: "pass",
    label: "pass (the standard Unix password manager)",
    install: "https://www.passwordstore.org",
  },
} as const;

/**
 * The value of an `${op:…}` or `${pass:…}` reference.
 * @throws UsageError naming the reference: the program is missing, fails, or prints nothing
 */
export function readProvider(
  ref: ProviderRef & { kind: "op" | "pass" },
  env: Readonly<Record<string, string | undefined>>,
  run: Runner,
): string {
  const p = PROGRAMS[ref.kind];
  const args = ref.kind === "op" ? ["read", `op://${ref.path}`] : ["show", ref.path];
  const r = run(p.program, args, { env });
  if (r.missing) {
    throw new UsageError(
      `Cannot resolve "${ref.text}": ${p.label} ("${p.program}") is not installed or not on PATH`,
      `Install it (${p.install}), or use another reference`,
    );
  }
  if (r.status !== 0) {
    throw new UsageError(
      `Cannot resolve "${ref.text}": "${p.program} ${args.join(" ")}" failed: ${firstLine(r.stderr)}`,
      ref.kind === "op"
        ? 'Sign in with "op signin" and check the vault, item and field'
        : `Check it with "pass show ${ref.path}"`,
    );
  }
  // `op read` prints the value and a newline; pass's first line is the password (by convention).
  const value = ref.kind === "op" ? r.stdout.replace(/\r?\n$/, "") : (r.stdout.split(/\r?\n/)[0] ?? "");
  if (value === "")
    throw new UsageError(`Cannot resolve "${ref.text}": ${p.program} returned an empty value`);
  return value;
}
