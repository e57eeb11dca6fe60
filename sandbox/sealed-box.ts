/**
 * The sealed boxes GitHub encrypts Actions secrets with (libsodium `crypto_box_seal`,
 * https://docs.github.com/en/rest/guides/encrypting-secrets-for-the-rest-api): the sandbox holds a
 * real key pair per repository and org and opens what it receives, so a client that does not seal
 * to the served key is refused.
 */
import { createHash } from "node:crypto";
import sodium from "libsodium-wrappers";
import type { SealingKeyState } from "./world.js";

/** A new key pair, base64, with GitHub's kind of `key_id` (a decimal string derived from the key). */
export async function newSealingKey(): Promise<SealingKeyState> {
  await sodium.ready;
  const pair = sodium.crypto_box_keypair();
  const publicKey = sodium.to_base64(pair.publicKey, sodium.base64_variants.ORIGINAL);
  const keyId = BigInt(`0x${createHash("sha256").update(publicKey).digest("hex").slice(0, 15)}`).toString();
  return { keyId, publicKey, privateKey: sodium.to_base64(pair.privateKey, sodium.base64_variants.ORIGINAL) };
}

/** The plaintext of a base64 sealed box, or null when it is not one sealed to `key`. */
export async function openSealedBox(key: SealingKeyState, encrypted: string): Promise<string | null> {
  await sodium.ready;
  try {
    const box = sodium.from_base64(encrypted, sodium.base64_variants.ORIGINAL);
    const opened = sodium.crypto_box_seal_open(
      box,
      sodium.from_base64(key.publicKey, sodium.base64_variants.ORIGINAL),
      sodium.from_base64(key.privateKey, sodium.base64_variants.ORIGINAL),
    );
    return sodium.to_string(opened);
  } catch {
    // Not base64, too short, or sealed to another key: libsodium says only that it failed.
    return null;
  }
}
