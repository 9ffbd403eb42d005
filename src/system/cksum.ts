// POSIX `cksum` (IEEE 802.3 CRC-32, MSB first, over the bytes then their length): the one
// checksum every POSIX remote can compute, so a remote write can prove, before its rename, that
// the temp file holds every byte sent (a connection dropped mid-transfer leaves fewer).

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 24;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
    t[i] = c >>> 0;
  }
  return t;
})();

/** What `cksum < file` prints for these bytes, without the newline: "CRC SIZE". */
export function posixCksum(bytes: Uint8Array): string {
  let crc = 0;
  const step = (b: number) => {
    crc = ((crc << 8) ^ (TABLE[((crc >>> 24) ^ b) & 0xff] as number)) >>> 0;
  };
  for (const b of bytes) step(b);
  for (let n = bytes.length; n > 0; n = Math.floor(n / 256)) step(n & 0xff);
  return `${(~crc >>> 0).toString()} ${bytes.length}`;
}
