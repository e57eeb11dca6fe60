/** Obviously fake credentials and keys for seeded worlds: random, never shaped like a real GitHub token. */
import { randomBytes } from "node:crypto";

/** An obviously fake secret: `<prefix>-<32 hex>`. */
export function fakeSecret(prefix: string): string {
  return `${prefix}-${randomBytes(16).toString("hex")}`;
}

/** A random, well-formed looking but meaningless ed25519 public key. */
export function fakePublicKey(): string {
  return `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${randomBytes(32).toString("base64").replace(/=+$/, "")} sandbox`;
}
