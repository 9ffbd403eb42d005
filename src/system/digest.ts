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

/** `bytes` random bytes as hex (2 × bytes characters). */
export function randomHex(bytes: number): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString("hex");
}
