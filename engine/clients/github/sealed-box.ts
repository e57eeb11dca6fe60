/**
 * GitHub's encryption of Actions secrets: a libsodium sealed box to the repository's or org's public
 * key (https://docs.github.com/en/rest/guides/encrypting-secrets-for-the-rest-api), with
 * `libsodium-wrappers` as GitHub's guide uses it.
 */
import sodium from "libsodium-wrappers";
import type { Secret } from "../../model/secret.js";

/** `value` sealed to the base64 public key, base64 (what `encrypted_value` carries). */
export async function sealForGitHub(publicKey: string, value: Secret): Promise<string> {
  await sodium.ready;
  const key = sodium.from_base64(publicKey, sodium.base64_variants.ORIGINAL);
  const box = sodium.crypto_box_seal(sodium.from_string(value.reveal()), key);
  return sodium.to_base64(box, sodium.base64_variants.ORIGINAL);
}
