import { createPrivateKey, generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import { calculateJwkThumbprint, importJWK, importPKCS8, type CryptoKey } from 'jose';
import type { KeyEncryption } from './key-encryption';

/** The only signing algorithm: EdDSA over Ed25519. Verification accepts nothing else. */
export const SIGNING_ALG = 'EdDSA';

/** A public key as published in the JWKS. */
export interface PublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  alg: typeof SIGNING_ALG;
  use: 'sig';
}

export interface NewSigningKey {
  kid: string;
  publicJwk: PublicJwk;
  /** PKCS8 DER of the private key, sealed by KeyEncryption with the kid as associated data. */
  privateKeyEnc: Buffer;
}

const generateEd25519 = promisify(generateKeyPair);

/** A fresh Ed25519 key pair; the kid is the RFC 7638 thumbprint of the public key. */
export async function generateSigningKey(encryption: KeyEncryption): Promise<NewSigningKey> {
  const { publicKey, privateKey } = await generateEd25519('ed25519');
  const { x } = publicKey.export({ format: 'jwk' });
  if (!x) throw new Error('Ed25519 public key without x');
  const kid = await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x });
  const der = privateKey.export({ type: 'pkcs8', format: 'der' });
  return {
    kid,
    publicJwk: { kty: 'OKP', crv: 'Ed25519', x, kid, alg: SIGNING_ALG, use: 'sig' },
    privateKeyEnc: encryption.encrypt(der, kid),
  };
}

/** Decrypts a stored private key into a non-extractable signing key. */
export async function importPrivateKey(encryption: KeyEncryption, kid: string, sealed: Buffer): Promise<CryptoKey> {
  const der = encryption.decrypt(sealed, kid);
  const pem = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'pkcs8' });
  return importPKCS8(pem.toString(), SIGNING_ALG);
}

export async function importPublicKey(jwk: PublicJwk): Promise<CryptoKey> {
  const key = await importJWK({ kty: jwk.kty, crv: jwk.crv, x: jwk.x }, SIGNING_ALG);
  if (key instanceof Uint8Array) throw new Error('Expected an asymmetric public key');
  return key;
}
