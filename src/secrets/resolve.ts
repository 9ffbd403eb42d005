// Resolving references at write time: the one place that turns `${secret:…}`, `${op:…}` and
// `${pass:…}` into values (through core/envrefs.ts, the one expander), for every writer (sync,
// configure, remove) and for `hatch mcp test`. Each reference is resolved once per run.
import type { WriteContext } from "../core/adapter.ts";
import type { ProviderRef, RefResolver } from "../core/envrefs.ts";
import { UsageError } from "../core/errors.ts";
import type { HostAdapter } from "../core/adapter.ts";
import { standardSpecOf } from "../hosts/_standard.ts";
import type { PathContext } from "../hosts/_paths.ts";
import { readProvider } from "./providers.ts";
import { type Runner, runProgram } from "./run.ts";
import { readSecret, type SecretContext, secretStores } from "./store.ts";

/**
 * A resolver for one run: values are cached by reference, so a secret synced to ten hosts is read
 * once; nothing is resolved until a reference is met (a run without any never starts a program).
 * @throws (from the resolver) UsageError naming the reference: an unknown secret, a missing program,
 *   a provider's error
 */
export function secretResolver(ctx: SecretContext, run: Runner = runProgram): RefResolver {
  const cache = new Map<string, string>();
  let stores: ReturnType<typeof secretStores> | undefined;
  return (ref: ProviderRef) => {
    const hit = cache.get(ref.text);
    if (hit !== undefined) return hit;
    let value: string;
    if (ref.kind === "secret") {
      stores ??= secretStores(ctx, run);
      const v = readSecret(stores, ref.path);
      if (v === undefined) {
        throw new UsageError(
          `Unknown secret "${ref.path}" in "${ref.text}": it is not in the secret store (${stores.readable.map((s) => (s.kind === "file" ? `file "${s.label}"` : s.label)).join(", ")})`,
          `Set it with "hatch secret set ${ref.path}", or list secrets with "hatch secret list"`,
        );
      }
      value = v;
    } else {
      value = readProvider(ref as ProviderRef & { kind: "op" | "pass" }, ctx.env, run);
    }
    cache.set(ref.text, value);
    return value;
  };
}

/** The kind of host an adapter writes: hosts sharing one entry schema share it (VS Code editions). */
export function hostKind(adapter: HostAdapter): string {
  return standardSpecOf(adapter)?.extraKey ?? adapter.id;
}

/**
 * The WriteContext of a run: the environment, the OS, a resolver for provider references, and
 * the kind of host the servers come from (a target of the same kind copies references as written).
 */
export function writeContext(
  ws: SecretContext & { ctx: Pick<PathContext, "platform"> },
  source?: HostAdapter,
  run: Runner = runProgram,
): WriteContext {
  return {
    env: ws.env,
    platform: ws.ctx.platform,
    resolve: secretResolver(ws, run),
    ...(source ? { sourceKind: hostKind(source) } : {}),
  };
}
