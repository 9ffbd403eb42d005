// A sync works file by file, and each file leaves garbage behind: its encoded entries, the pieces
// of its new text, the parse that verified it. JavaScriptCore's heuristics let that pile up over a
// run of many large files (peak RSS 440–600 MB for 10,000 servers into 20 files) and then pay for
// big collections. Asking for a collection between files (Bun.gc(false): a young-generation
// collection that does not wait for a full one) keeps the heap near what is live. Measured with
// Bun 1.4.5 on 2 cores, compiled binary: 10,000 → 20 files 3.1 s / 490 MB → 2.45 s / 277 MB.
//
// What outlived one young collection (a file's big strings and entries, promoted while the file
// was being planned) stays until a full one, so the resident size still grows by ~5 MB a file.
// A full collection that returns memory to the system (Bun.gc(true); bun:jsc's fullGC() frees
// but keeps the pages, and the resident size does not drop) costs ~20–30 ms plus the page faults of
// growing again, so one is asked for only when the resident size has grown by GROWTH since the
// last: a sync of 1,000 servers into 10 files never reaches it, 10,000 into 20 files does once.
// Measured, 10,000 → 20, interleaved runs: without it 201–204 MB; at 64 MB (two collections)
// 177 MB, +150–250 ms; at 80 MB (one) 187 MB, ~90 ms less than at 64 MB (7 runs each).
// Measured again 2026-12-03 (with vs without, same binary, pairs): no wall-time gain at any size
// (1,000 → 10: 0.96×; 10,000 → 10: 0.99×; 10,000 → 20: 0.99×), but peak RSS 10,000 → 10
// 190 → 161 MiB and 10,000 → 20 247 → 189 MiB (275 → 236 with backup): it stays for memory.

/** Growth of the resident size (bytes) after which the next file boundary collects fully. */
const GROWTH = 80 * 1024 * 1024;

let mark: number | undefined;

/**
 * Below this many characters of a file's new text, no collection is asked for: a small file
 * leaves little garbage, and a young collection forced in a short run is paid at the next
 * allocation. Measured 2026-12-03, compiled binary, interleaved pairs: the everyday sync (20
 * servers into 5 files) 60.7 → 55.8 ms without the collections (one cost ~1.8 ms alone), while
 * 1,000 → 10 (files of ~150–250 KB) is 4–5% faster with them. 64 KB is ~300 servers.
 */
export const SMALL_FILE = 64 * 1024;

/**
 * Called after each host file is planned, and after each big one is written (apply.ts), with
 * the length of the file's new text.
 */
export function betweenFiles(textLength: number): void {
  if (textLength < SMALL_FILE) return;
  const bun = (globalThis as { Bun?: { gc?: (force: boolean) => void } }).Bun;
  if (!bun?.gc) return;
  const now = process.memoryUsage.rss();
  mark ??= now;
  if (now - mark > GROWTH) {
    bun.gc(true);
    mark = process.memoryUsage.rss();
  } else {
    bun.gc(false);
  }
}
