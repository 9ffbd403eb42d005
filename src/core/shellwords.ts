// Splitting one line into words as a POSIX shell does (quotes and backslashes; no expansion),
// like Python's shlex: `--args "-m srv"` and HATCH_SSH_COMMAND are both read this way.

/**
 * Splits a line into words: single quotes keep everything, double quotes keep everything but
 * `\"`, `\\`, `\$`, `` \` `` and a backslash-newline; outside quotes a backslash keeps the next
 * character (a backslash-newline joins lines, a trailing backslash stays). Words are separated
 * by whitespace; `""` is an empty word.
 * @param unclosed builds the error for a quote left open (the caller names its input)
 * @throws what `unclosed` returns
 */
export function splitShellWords(line: string, unclosed: (quote: "'" | '"') => Error): string[] {
  const out: string[] = [];
  let cur = "";
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw unclosed("'");
      cur += line.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '"') {
      inWord = true;
      for (i++; ; i++) {
        if (i >= line.length) throw unclosed('"');
        const d = line[i] as string;
        if (d === '"') break;
        if (d === "\\" && i + 1 < line.length && '"\\$`\n'.includes(line[i + 1] as string)) {
          i++;
          if (line[i] !== "\n") cur += line[i];
        } else cur += d;
      }
    } else if (c === "\\" && i + 1 < line.length) {
      i++;
      if (line[i] !== "\n") cur += line[i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(cur);
      cur = "";
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) out.push(cur);
  return out;
}
