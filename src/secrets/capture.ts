// Capture (`env create --from-host`, `sync --to-env`): literal values that look like secrets
// move into the secret store, and the environment file keeps a `${secret:…}` reference.
// Secret-looking: an env variable or header whose name holds KEY, TOKEN, SECRET, PASSWORD, AUTH
// or CREDENTIAL (any case; AUTH covers Authorization), holding literal text (no reference).
// An `Authorization: Bearer <token>` header keeps its scheme: `Bearer ${secret:…}`.
// Names: `<environment>/<server>/<variable or header>`, characters outside the secret-name set
// replaced by "_", so capturing again (a later sync) updates the same secret.
import { SECRET_NAME_RE } from "../core/envrefs.ts";
import type { Server, ServerMap } from "../core/model.ts";

const SECRET_LOOKING = /KEY|TOKEN|SECRET|PASSWORD|PASSWD|AUTH|CREDENTIAL/i;
const SCHEME = /^(Bearer|Basic|Token|Bot)\s+(\S.*)$/i;

/** Whether an env variable or header name says its value is a secret. */
export function secretLooking(name: string): boolean {
  return SECRET_LOOKING.test(name);
}

/** A name made of secret-name characters (others become "_"). */
function part(s: string): string {
  const out = s.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "_");
  return out === "" ? "_" : out;
}

export interface Captured {
  /** The servers with secret-looking literals replaced by `${secret:…}`. */
  servers: ServerMap;
  /** What to put in the secret store: name → value. */
  secrets: Map<string, string>;
}

function captureMap(
  values: Record<string, string>,
  prefix: string,
  secrets: Map<string, string>,
  header: boolean,
): Record<string, string> | undefined {
  let changed = false;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) {
    // A value holding a reference ("${") is left as it is: nothing literal to move.
    if (v === "" || v.includes("${") || !secretLooking(k)) {
      out[k] = v;
      continue;
    }
    const name = `${prefix}/${part(k)}`;
    const scheme = header ? SCHEME.exec(v) : null;
    const secret = scheme ? (scheme[2] as string) : v;
    secrets.set(name, secret);
    out[k] = scheme ? `${scheme[1]} \${secret:${name}}` : `\${secret:${name}}`;
    changed = true;
  }
  return changed ? out : undefined;
}

/** Moves secret-looking literal env values and headers of `servers` out, for environment `env`. */
export function captureSecrets(servers: ServerMap, env: string): Captured {
  const secrets = new Map<string, string>();
  const out: ServerMap = new Map();
  for (const [name, s] of servers) {
    const prefix = `${part(env)}/${part(name)}`;
    let next: Server = s;
    if ("env" in s && s.env) {
      const e = captureMap(s.env, prefix, secrets, false);
      if (e) next = { ...next, env: e } as Server;
    }
    if ("headers" in s && s.headers) {
      const h = captureMap(s.headers, prefix, secrets, true);
      if (h) next = { ...next, headers: h } as Server;
    }
    out.set(name, next);
  }
  for (const n of secrets.keys()) if (!SECRET_NAME_RE.test(n)) throw new Error(`bad captured name ${n}`);
  return { servers: out, secrets };
}
