// A System that writes nothing (chezmoi's dry-run model): every write, removal and directory is
// recorded in an overlay that later reads of the same run see, and the real file system is only
// read. A mutation run against it takes every step a real one takes, so `--dry-run` is not a
// branch in each command but the same code with another seam.
import { type AtomicFile, type FileInfo, type System, type WriteOptions, writeEach } from "./system.ts";

/** What a dry run would have done to one path. */
export interface DryRunChange {
  path: string;
  action: "write" | "remove" | "mkdir";
}

export class DryRunSystem implements System {
  /** Paths written (text) or removed (null) in this run, as later reads see them. */
  readonly #overlay = new Map<string, string | Uint8Array | null>();
  readonly #dirs = new Set<string>();
  /** Every change the run would have made, in order. */
  readonly changes: DryRunChange[] = [];

  constructor(readonly real: System) {}

  readText(path: string): string | undefined {
    if (this.#overlay.has(path)) {
      const v = this.#overlay.get(path);
      if (v === null || v === undefined) return undefined;
      return typeof v === "string" ? v : Buffer.from(v).toString("utf8");
    }
    return this.real.readText(path);
  }
  readBytes(path: string): Uint8Array | undefined {
    if (this.#overlay.has(path)) {
      const v = this.#overlay.get(path);
      if (v === null || v === undefined) return undefined;
      return typeof v === "string" ? Buffer.from(v, "utf8") : v;
    }
    return this.real.readBytes(path);
  }
  stat(path: string): FileInfo | undefined {
    if (this.#overlay.get(path) === null) return undefined;
    return this.real.stat(path);
  }
  exists(path: string): boolean {
    if (this.#overlay.has(path)) return this.#overlay.get(path) !== null;
    return this.#dirs.has(path) || this.real.exists(path);
  }
  writeAtomic(path: string, data: string | Uint8Array, _opts?: WriteOptions): void {
    this.#overlay.set(path, data);
    this.changes.push({ path, action: "write" });
  }
  writeAtomicMany(files: readonly AtomicFile[]): void {
    writeEach(this, files);
  }
  remove(path: string): void {
    this.#overlay.set(path, null);
    this.changes.push({ path, action: "remove" });
  }
  mkdirp(path: string): void {
    if (this.real.exists(path) || this.#dirs.has(path)) return;
    this.#dirs.add(path);
    this.changes.push({ path, action: "mkdir" });
  }
  list(dir: string): string[] {
    return this.real.list(dir);
  }
}
