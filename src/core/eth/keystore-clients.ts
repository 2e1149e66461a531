/**
 * What each validator client does with a keystore file, read from its source (repository, file,
 * commit next to each rule). `keystore verify` names the clients that refuse a file in a warning;
 * with `--client NAME` a refusal by NAME is an error, so "ok" means "NAME will import it".
 *
 * Only rules read in the source are listed. Rules every client shares with coldstake's own
 * parser (version 4, scrypt/pbkdf2-hmac-sha256, sha256 checksum, aes-128-ctr, empty KDF message,
 * dklen 32) are already errors for every file and are not repeated here.
 *
 * Password normalisation: Lighthouse (keystore.rs `normalize` + `is_control_character`), Teku and
 * web3signer (KdfParam → PasswordUtils.normalizePassword), Nimbus (keystore.nim `KeystorePass.init`:
 * NFKD, control runes dropped) and Lodestar (@chainsafe/bls-keystore `normalizePassword`) all apply
 * EIP-2335's NFKD + C0/C1/DEL stripping, as coldstake's decryption does (@chainsafe/bls-keystore):
 * a password that opens the file here opens it in those clients. Prysm decrypts with
 * go-eth2-wallet-encryptor-keystorev4, whose normalisation was not read, so nothing is claimed.
 */
import type { ParsedKeystore } from './keystore.js';

export const CLIENTS = ['lighthouse', 'prysm', 'teku', 'nimbus', 'lodestar', 'web3signer'] as const;
export type ClientName = (typeof CLIENTS)[number];

export const CLIENT_LABEL: Record<ClientName, string> = {
  lighthouse: 'Lighthouse',
  prysm: 'Prysm',
  teku: 'Teku',
  nimbus: 'Nimbus',
  lodestar: 'Lodestar',
  web3signer: 'web3signer',
};

/** Sources, cited by the rules below. */
const SRC = {
  lighthouseJson: 'sigp/lighthouse crypto/eth2_keystore/src/json_keystore/mod.rs @511496d2904cebae28cde8c77f440dcc15b1d73f',
  lighthouseKeystore: 'sigp/lighthouse crypto/eth2_keystore/src/keystore.rs @01254fa67b207c4b9e8fbf79132e7ff2bec3514a',
  tekuData: 'Consensys/teku infrastructure/bls-keystore/src/main/java/tech/pegasys/teku/bls/keystore/model/KeyStoreData.java @1c0f6eb44a0cc8812fdcfa91d84f26f9ff9e8df9',
  tekuLoader: 'Consensys/teku infrastructure/bls-keystore/src/main/java/tech/pegasys/teku/bls/keystore/KeyStoreLoader.java @1833274b27c8ac54691d45a6d13297bb168aa602',
  tekuScrypt: 'Consensys/teku infrastructure/bls-keystore/src/main/java/tech/pegasys/teku/bls/keystore/model/SCryptParam.java @1f46e37fdeb75db35e632d07931a1bdb15e25f37',
  w3sData: 'Consensys/web3signer bls-keystore/src/main/java/tech/pegasys/web3signer/bls/keystore/model/KeyStoreData.java @32777def1875ba3ab73d4f6d04467cf6c58898d3',
  w3sLoader: 'Consensys/web3signer bls-keystore/src/main/java/tech/pegasys/web3signer/bls/keystore/KeyStoreLoader.java @3a0edbba5e0d8917824b50e166169fb6f944c6da',
  w3sScrypt: 'Consensys/web3signer bls-keystore/src/main/java/tech/pegasys/web3signer/bls/keystore/model/SCryptParam.java @5ef4449a8732afa9b094a0a7c98caae389f4e122',
  nimbus: 'status-im/nimbus-eth2 beacon_chain/spec/keystore.nim @655f01b57e3a6eee9e9ed753199851193da549f0',
  lodestarFormat: 'ChainSafe/lodestar packages/cli/src/util/format.ts @5489e66a6dc4a5e8f92a148243778887958cd26b',
  chainsafeSchema: 'ChainSafe/bls-keystore 3.1.0 (npm) lib/schema-validation-generated.js (Keystore.parse, used by Lodestar)',
  prysmImport: 'prysmaticlabs/prysm validator/keymanager/local/import.go @11977374b74e592802c4ee44195576f544574e37',
  prysmTypes: 'prysmaticlabs/prysm validator/keymanager/types.go @00bed7fa921c1f443897e700262ea3840faa0469',
} as const;

/** One client's refusal of one file, with the reason and where the rule is read. */
export interface Refusal {
  client: ClientName;
  reason: string;
  source: string;
}

/**
 * A compatibility rule: `id` is the finding id reported, `refusals` the clients that refuse the
 * file (empty when every client takes it), `accepted` what the clients that take it do.
 */
export interface CompatRule {
  id: string;
  /** One lower-case sentence describing the file's property. */
  what: string;
  refusals: Refusal[];
  /** Clients known, from their source, to import such a file. */
  accepts: ClientName[];
  fix?: string;
}

const refuse = (client: ClientName, reason: string, source: string): Refusal => ({ client, reason, source });

/** Every compatibility rule a parsed keystore triggers (none for a file every client imports). */
export function compatRules(p: ParsedKeystore): CompatRule[] {
  const out: CompatRule[] = [];
  const ks = p.keystore;

  if (p.missing.includes('pubkey')) {
    out.push({
      id: 'keystore-missing-pubkey',
      what: 'no pubkey member (draft-era EIP-2335): the pubkey reported is the one the decrypted secret derives',
      refusals: [
        // `pub pubkey: String` is not an Option: serde refuses the file without it.
        refuse('lighthouse', 'JsonKeystore.pubkey is required', SRC.lighthouseJson),
        // @JsonProperty(value = "pubkey", required = true) on the creator.
        refuse('teku', 'KeyStoreData pubkey is required', SRC.tekuData),
        refuse('web3signer', 'KeyStoreData pubkey is required', SRC.w3sData),
        // parseKeystore: Json.decode(..., requireAllFields = true).
        refuse('nimbus', 'parseKeystore requires all fields', SRC.nimbus),
        // getPubkeyHexFromKeystore: "Invalid keystore, must contain .pubkey property".
        refuse('lodestar', 'import reads the pubkey member to find the key', SRC.lodestarFormat),
      ],
      // attemptDecryptKeystore: "If unavailable, then utilize the public key directly from the private key".
      accepts: ['prysm'],
      fix: 'make a new keystore for this key with a current tool if a client needs the pubkey member',
    });
  } else if (p.pubkeyForm.prefixed || p.pubkeyForm.uppercase) {
    const refusals: Refusal[] = [
      // decrypt_keypair: `keypair.pk.as_hex_string()[2..] != self.json.pubkey` → PublicKeyMismatch (a string compare).
      refuse('lighthouse', 'compares the pubkey member as lower-case hex without 0x', SRC.lighthouseKeystore),
    ];
    if (p.pubkeyForm.prefixed) {
      // hex.DecodeString(keystore.Pubkey) fails on "0x…".
      refusals.push(refuse('prysm', 'hex-decodes the pubkey member without allowing 0x', SRC.prysmImport));
      // schema: pubkey pattern ^([A-Fa-f0-9]{2}){48}$.
      refusals.push(refuse('lodestar', 'keystore schema allows 96 hex digits without 0x', SRC.chainsafeSchema));
    }
    out.push({ id: 'keystore-pubkey-format', what: `pubkey member written ${p.pubkeyForm.prefixed ? 'with a 0x prefix' : ''}${p.pubkeyForm.prefixed && p.pubkeyForm.uppercase ? ' and ' : ''}${p.pubkeyForm.uppercase ? 'in upper-case hex' : ''}`, refusals, accepts: [], fix: 'write the pubkey as 96 lower-case hex digits without 0x' });
  }

  if (p.missing.includes('path')) {
    out.push({
      id: 'keystore-missing-path',
      what: 'no path member (Prysm and Charon omit it): the key\'s derivation path is unknown',
      refusals: [
        refuse('nimbus', 'parseKeystore requires all fields', SRC.nimbus),
        // schema: required ["crypto", "path", "uuid", "version"].
        refuse('lodestar', 'keystore schema requires path', SRC.chainsafeSchema),
      ],
      // `pub path: Option<String>` ("Prysm is omitting it so we must support it"); Teku/web3signer @JsonProperty("path") not required.
      accepts: ['lighthouse', 'prysm', 'teku', 'web3signer'],
    });
  }
  if (p.missing.includes('uuid')) {
    out.push({
      id: 'keystore-missing-uuid',
      what: 'no uuid member',
      refusals: [
        // `pub uuid: Uuid` is not an Option.
        refuse('lighthouse', 'JsonKeystore.uuid is required', SRC.lighthouseJson),
        refuse('nimbus', 'parseKeystore requires all fields', SRC.nimbus),
        refuse('lodestar', 'keystore schema requires uuid', SRC.chainsafeSchema),
      ],
      // @JsonProperty(value = "uuid") not required; Prysm's Keystore.ID is a plain string.
      accepts: ['teku', 'web3signer', 'prysm'],
    });
  }

  const unknown = p.unknownFields.filter((f) => !p.secretLikeFields.includes(f));
  if (unknown.length > 0) {
    out.push({
      id: 'keystore-unknown-field',
      what: `members not defined by EIP-2335: ${unknown.join(', ')}`,
      // #[serde(deny_unknown_fields)] on JsonKeystore (`name` and `description` are known to it).
      refusals: [refuse('lighthouse', 'JsonKeystore denies unknown fields', SRC.lighthouseJson)],
      // Teku/web3signer: FAIL_ON_UNKNOWN_PROPERTIES false; Nimbus: allowUnknownFields = true; Lodestar's
      // schema has no additionalProperties: false at the top; Prysm: encoding/json ignores them.
      accepts: ['prysm', 'teku', 'nimbus', 'lodestar', 'web3signer'],
      fix: 'remove the member(s) for Lighthouse',
    });
  }

  const kdf = ks.crypto.kdf;
  const kdfRefusals: Refusal[] = [];
  if (kdf.function === 'scrypt') {
    const { n, r } = kdf.params;
    const pp = kdf.params.p;
    // validate_parameters: 128·n·p·r must fit a u32 (checked_mul).
    if (128 * n * r * pp >= 2 ** 32) kdfRefusals.push(refuse('lighthouse', `scrypt 128·n·r·p = ${128 * n * r * pp} does not fit 32 bits`, SRC.lighthouseKeystore));
    // SCryptParam.validate: `r == 1 && n >= 65536` refused; p ≤ Integer.MAX_VALUE / (128·r·8).
    const maxP = Math.floor((2 ** 31 - 1) / (128 * r * 8));
    if ((r === 1 && n >= 65536) || pp > maxP) {
      kdfRefusals.push(refuse('teku', r === 1 && n >= 65536 ? 'scrypt r = 1 with n ≥ 65536 is refused' : `scrypt p above ${maxP}`, SRC.tekuScrypt));
      kdfRefusals.push(refuse('web3signer', r === 1 && n >= 65536 ? 'scrypt r = 1 with n ≥ 65536 is refused' : `scrypt p above ${maxP}`, SRC.w3sScrypt));
    }
    // areValid(ScryptParams): n, r, p and dklen must equal 2^18, 8, 1, 32 exactly.
    if (n !== 2 ** 18 || r !== 8 || pp !== 1) kdfRefusals.push(refuse('nimbus', `scrypt n=${n}, r=${r}, p=${pp}: Nimbus decrypts only n=2^18, r=8, p=1`, SRC.nimbus));
    // schema: scrypt salt pattern ^([A-Fa-f0-9]{2}){32}$.
    if (kdf.params.salt.length !== 64) kdfRefusals.push(refuse('lodestar', `scrypt salt is ${kdf.params.salt.length / 2} bytes; the keystore schema wants 32`, SRC.chainsafeSchema));
  } else {
    // readValue(Pbkdf2Salt): hex length a non-zero multiple of 16 digits.
    if (kdf.params.salt.length % 16 !== 0) kdfRefusals.push(refuse('nimbus', `pbkdf2 salt of ${kdf.params.salt.length / 2} bytes is not a multiple of 8 bytes`, SRC.nimbus));
    // validate_parameters: c > 80,000,000 refused (coldstake's own cap, 2^23, is lower: never reached here).
  }
  if (kdfRefusals.length > 0) {
    out.push({ id: 'keystore-client-kdf', what: 'KDF parameters outside some clients\' limits', refusals: kdfRefusals, accepts: [], fix: 're-encrypt with scrypt n=2^18, r=8, p=1 and a 32-byte salt (the deposit-cli default)' });
  }
  return out;
}

/** "Lighthouse and Teku" / "Lighthouse, Teku and Nimbus". */
export function namesList(clients: readonly ClientName[]): string {
  const names = [...new Set(clients)].map((c) => CLIENT_LABEL[c]);
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
