/**
 * Keystore passwords across qrysm's two tools (qrysm dfc813be; the norm vectors are MIT, from
 * pkg/go-qrl-wallet-encryptor-keystore/norm_internal_test.go):
 * - the deposit CLI encrypts with the RAW password;
 * - the validator decrypts with NFKD minus the C0 controls U+0000-U+001F and DEL U+007F, then
 *   retries an "alternate" form keeping only the first code point of each NFKD segment ("ü" → "u").
 * A password whose raw and normalised forms differ can therefore make a keystore its own validator
 * cannot open: `keys new` refuses such passwords, `keystore verify` flags files that open only raw.
 */

/** The validator's primary form: NFKD, C0 controls and DEL removed. */
export function normaliseZondPassword(password: string): string {
  // eslint-disable-next-line no-control-regex
  return password.normalize('NFKD').replace(/[\u0000-\u001f\u007f]/g, '');
}

/**
 * The validator's fallback form: for each NFKD segment (a starter and the combining marks after
 * it), its first code point only; C0 controls and DEL removed.
 */
export function alternateZondPassword(password: string): string {
  let out = '';
  for (const ch of password) {
    const d = ch.normalize('NFKD');
    const first = String.fromCodePoint(d.codePointAt(0)!);
    out += first;
  }
  // eslint-disable-next-line no-control-regex
  return out.replace(/[\u0000-\u001f\u007f]/g, '');
}

/** True when the deposit CLI's raw form and the validator's normalised form of `password` differ. */
export function zondPasswordNeedsNormalising(password: string): boolean {
  return normaliseZondPassword(password) !== password;
}
