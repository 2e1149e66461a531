/**
 * @theqrl/mldsa87 2.0.1 ships its types at src/index.d.ts but its package.json "exports" does not
 * point at them; the tests use this one function (the signature is copied from that file).
 */
declare module '@theqrl/mldsa87' {
  export function cryptoSignVerify(sig: Uint8Array, m: Uint8Array | string, pk: Uint8Array, ctx: Uint8Array): boolean;
}
