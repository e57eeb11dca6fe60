/**
 * Characters a configuration file may not contain: bytes that are not UTF-8, and the control
 * characters YAML 1.2 excludes from a stream (§5.1, c-printable). js-yaml refuses the latter, the
 * `yaml` package reads them into values, so the loader checks the text itself and says where.
 */

/** Outside YAML's printable set: C0 controls but tab, LF and CR; DEL, C1 but NEL; U+FFFE/U+FFFF; lone surrogates. */
const NON_PRINTABLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is this pattern's purpose.
  /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The offset and code point of the first character YAML does not allow in a stream, if any. */
export function firstNonPrintable(text: string): { offset: number; codePoint: string } | undefined {
  const match = NON_PRINTABLE.exec(text);
  if (match === null) return undefined;
  const code = match[0].charCodeAt(0);
  return { offset: match.index, codePoint: `U+${code.toString(16).toUpperCase().padStart(4, "0")}` };
}

/** The message for a character YAML does not allow. */
export function nonPrintableMessage(codePoint: string): string {
  return `invalid YAML: the file contains the control character ${codePoint}, which YAML does not allow: remove it`;
}

/**
 * The byte offset of the first invalid UTF-8 sequence in `bytes` (overlong forms, surrogates and
 * code points above U+10FFFF included), or undefined when all of it is UTF-8.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number | undefined {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    // Lead byte: how many continuation bytes follow, and the range the second byte must lie in (RFC 3629 §4).
    let need: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      const [min, max] = k === 1 ? [low, high] : [0x80, 0xbf];
      if (c === undefined || c < min || c > max) return i;
    }
    i += need + 1;
  }
  return undefined;
}

/** 1-based line and column (in UTF-16 code units, as the YAML parser counts) of the end of `prefix`. */
export function positionAfter(prefix: string): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = prefix.indexOf("\n"); i >= 0; i = prefix.indexOf("\n", i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: prefix.length - lineStart + 1 };
}
