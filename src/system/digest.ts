// SHA-256 and random hex through Bun's native hasher and Web Crypto, which are built in: importing
// node:crypto costs 4.5–6 ms of start-up in the compiled binary (Bun 1.4.5), on every command that
// locks a file or makes a backup.

/** Hex SHA-256 of a text's UTF-8 bytes. */
export function sha256Hex(text: string): string {
  return new Bun.CryptoHasher("sha256").update(text, "utf8").digest("hex");
}

/** Hex SHA-256 of bytes (equal to sha256Hex of the text they are the UTF-8 encoding of). */
export function sha256BytesHex(bytes: Uint8Array): string {
  return new Bun.CryptoHasher("sha256").update(bytes).digest("hex");
}

const HEX = "0123456789abcdef";

/**
 * `bytes` random bytes as hex (2 × bytes characters), spelled from a table: the first
 * `Buffer.toString("hex")` of a run costs ~0.35–0.55 ms more (compiled binary, Bun 1.4.5), and
 * every sync takes a lock and writes a temp file, which ask for one.
 */
export function randomHex(bytes: number): string {
  const b = crypto.getRandomValues(new Uint8Array(bytes));
  let out = "";
  for (let i = 0; i < b.length; i++) {
    const v = b[i] as number;
    out += (HEX[v >> 4] as string) + (HEX[v & 15] as string);
  }
  return out;
}
