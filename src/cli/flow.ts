// The approval step of every command that changes files (sync, configure, remove server, backup
// restore, env remove): the plan has been shown; now it goes ahead when approved in advance
// (--auto-approve, HATCH_AUTO_APPROVE), or when a person answers yes on a terminal. Without a
// terminal and without approval it refuses (UsageError, exit 2); a "no" (or end of input) prints
// the cancellation, and the command exits 1.
import type { Invocation } from "./command.ts";
import { confirm } from "./confirm.ts";

export function autoApproved(inv: Invocation): boolean {
  return inv.values["auto-approve"] === true || /^(1|true|yes)$/i.test(inv.env.HATCH_AUTO_APPROVE ?? "");
}

export type Approval = { go: false; code: 1 } | { go: true; confirmed: boolean };

/**
 * Asks (unless approved in advance).
 * @param cancelled what --json prints, and the line a person reads, when the answer is no
 * @returns go: false with the exit code, or go: true with `confirmed` (a person said yes: a
 *   file changed since the plan then stops instead of being planned again, PRODUCT.md Concurrency)
 */
export async function approve(
  inv: Invocation,
  cancelled: { json: () => object; text: string },
): Promise<Approval> {
  if (autoApproved(inv)) return { go: true, confirmed: false };
  if (await confirm(inv.out, "Proceed? [y/N]: ")) return { go: true, confirmed: true };
  if (inv.out.json) inv.out.emitJson({ ...cancelled.json(), ok: false, cancelled: true });
  else inv.out.print(cancelled.text);
  return { go: false, code: 1 };
}
