import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';

/**
 * Token keys as single-line values, so they fit an env file, a compose `.env` and a Kubernetes
 * Secret alike: an Ed25519 private key as base64 PKCS#8 DER, a public key as base64 SPKI DER.
 */
export interface KeyPair {
  privateKey: string;
  publicKey: string;
}

export function generateKeyPair(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
  };
}

/** PEM of a base64 PKCS#8 Ed25519 private key (what the JWT signer takes); throws on anything else. */
export function privateKeyPem(base64: string): string {
  const key = createPrivateKey({ key: Buffer.from(base64, 'base64'), format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 private key');
  return key.export({ format: 'pem', type: 'pkcs8' }).toString();
}

/** PEM of a base64 SPKI Ed25519 public key; throws on anything else. */
export function publicKeyPem(base64: string): string {
  const key = createPublicKey({ key: Buffer.from(base64, 'base64'), format: 'der', type: 'spki' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 public key');
  return key.export({ format: 'pem', type: 'spki' }).toString();
}

/** The public key (base64 SPKI) that belongs to a base64 PKCS#8 private key. */
export function publicKeyOf(privateKey: string): string {
  return createPublicKey(createPrivateKey({ key: Buffer.from(privateKey, 'base64'), format: 'der', type: 'pkcs8' }))
    .export({ format: 'der', type: 'spki' })
    .toString('base64');
}

/** `TOKEN_VERIFY_KEYS`: `issuer=publicKey` pairs, comma separated (the issuer is a service name). */
export function parseVerifyKeys(value: string): Map<string, string> {
  const keys = new Map<string, string>();
  for (const pair of value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new Error(`"${pair.slice(0, 20)}…" is not issuer=publicKey`);
    keys.set(pair.slice(0, at), pair.slice(at + 1));
  }
  return keys;
}

export const formatVerifyKeys = (keys: Iterable<[string, string]>) => [...keys].map(([issuer, key]) => `${issuer}=${key}`).join(',');
