#!/bin/sh
# Installs a hatch release binary as PREFIX/bin/hatch (default ~/.local/bin/hatch) after checking
# its SHA-256 against the SHA256SUMS published beside it. Refuses, and installs nothing, when the
# binary is not listed or its checksum differs. POSIX sh: no bash needed.
#
#   sh install.sh [--prefix DIR] [--sums FILE] [BINARY]
#
# BINARY defaults to hatch-<os>-<arch> for this machine, in the current directory.
# SHA256SUMS defaults to the file of that name next to BINARY.
set -eu

usage() {
  cat <<'EOF'
Usage: sh install.sh [--prefix DIR] [--sums FILE] [BINARY]

Installs BINARY as DIR/bin/hatch (default DIR: ~/.local) after verifying its SHA-256
against SHA256SUMS (default: the SHA256SUMS next to BINARY).

Options:
  --prefix DIR   Install into DIR/bin (default: $HOME/.local)
  --sums FILE    The checksum list to verify against (default: SHA256SUMS beside BINARY)
  -h, --help     Show this help

Example:
  sh install.sh hatch-linux-x64
EOF
}

die() {
  printf 'install.sh: %s\n' "$1" >&2
  exit 1
}

prefix="${HOME:?HOME is not set}/.local"
sums=""
binary=""
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) [ $# -ge 2 ] || die "--prefix needs a directory"; prefix="$2"; shift 2 ;;
    --prefix=*) prefix="${1#--prefix=}"; shift ;;
    --sums) [ $# -ge 2 ] || die "--sums needs a file"; sums="$2"; shift 2 ;;
    --sums=*) sums="${1#--sums=}"; shift ;;
    -h | --help) usage; exit 0 ;;
    -*) usage >&2; die "unknown option \"$1\"" ;;
    *) [ -z "$binary" ] || die "unexpected argument \"$1\""; binary="$1"; shift ;;
  esac
done

if [ -z "$binary" ]; then
  case "$(uname -s)" in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    *) die "no release binary for $(uname -s): name the binary to install" ;;
  esac
  case "$(uname -m)" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) die "no release binary for $(uname -m): name the binary to install" ;;
  esac
  binary="hatch-$os-$arch"
fi

[ -f "$binary" ] || die "cannot find \"$binary\""
name=$(basename "$binary")
[ -n "$sums" ] || sums="$(dirname "$binary")/SHA256SUMS"
[ -f "$sums" ] || die "cannot find \"$sums\": download SHA256SUMS from the same release as \"$name\""

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d ' ' -f 1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d ' ' -f 1
  elif command -v openssl >/dev/null 2>&1; then
    openssl dgst -sha256 "$1" | sed 's/^.*= *//'
  else
    die "cannot compute SHA-256: install sha256sum, shasum or openssl"
  fi
}

# Lines are "<sha256>  <name>" (sha256sum's format; "*<name>" marks binary mode).
expected=$(awk -v n="$name" '$2 == n || $2 == "*" n { print $1; exit }' "$sums")
[ -n "$expected" ] || die "\"$name\" is not listed in \"$sums\": refusing to install"
actual=$(sha256 "$binary")
if [ "$actual" != "$expected" ]; then
  printf 'install.sh: checksum mismatch for "%s": refusing to install\n  expected %s\n  actual   %s\n' \
    "$name" "$expected" "$actual" >&2
  exit 1
fi

bindir="$prefix/bin"
mkdir -p "$bindir"
# Copy beside the destination, then rename: a running hatch is never half-overwritten.
tmp="$bindir/.hatch.install.$$"
trap 'rm -f "$tmp"' EXIT INT TERM
cp "$binary" "$tmp"
chmod 755 "$tmp"
mv -f "$tmp" "$bindir/hatch"
trap - EXIT INT TERM

printf 'Verified %s (sha256 %s)\n' "$name" "$actual"
printf 'Installed %s\n' "$bindir/hatch"
case ":${PATH:-}:" in
  *":$bindir:"*) ;;
  *) printf 'Note: %s is not on your PATH; add it, e.g. export PATH="%s:$PATH"\n' "$bindir" "$bindir" ;;
esac
