import * as crypto from 'node:crypto';

/** Why a sealing key cannot be used: what is wrong with it, and what to do. */
export class SealingKeyError extends Error {
  constructor(
    message: string,
    /** What to do about it. */
    public readonly fix: string,
  ) {
    super(message);
    this.name = 'SealingKeyError';
  }
}

/**
 * The RSA public key of the controller's certificate (PEM, as `kubeseal
 * --fetch-cert` writes it; a PEM public key is taken too). Throws a
 * SealingKeyError when the text is no certificate, the key is not RSA, or the
 * certificate has expired or is not valid yet at `now`.
 */
export function sealingKey(pem: string, now: Date = new Date()): crypto.KeyObject {
  let key: crypto.KeyObject;
  if (pem.includes('-----BEGIN CERTIFICATE-----')) {
    let cert: crypto.X509Certificate;
    try {
      cert = new crypto.X509Certificate(pem);
    } catch (e) {
      throw new SealingKeyError(`is not a readable certificate (${(e as Error).message})`, 'fetch it again with kubeseal --fetch-cert');
    }
    const [from, to] = [new Date(cert.validFrom), new Date(cert.validTo)];
    if (to.getTime() < now.getTime()) {
      throw new SealingKeyError(
        `expired on ${to.toISOString().slice(0, 10)}`,
        'the controller renews its key every 30 days: fetch the current certificate with kubeseal --fetch-cert and re-seal',
      );
    }
    if (from.getTime() > now.getTime()) {
      throw new SealingKeyError(`is not valid before ${from.toISOString().slice(0, 10)}`, "check the machine's clock, or fetch the certificate again");
    }
    key = cert.publicKey;
  } else if (pem.includes('-----BEGIN PUBLIC KEY-----') || pem.includes('-----BEGIN RSA PUBLIC KEY-----')) {
    try {
      key = crypto.createPublicKey(pem);
    } catch (e) {
      throw new SealingKeyError(`is not a readable public key (${(e as Error).message})`, 'fetch the certificate with kubeseal --fetch-cert');
    }
  } else {
    throw new SealingKeyError(
      'is not a PEM certificate',
      'give the controller\'s certificate, as kubeseal --fetch-cert writes it ("-----BEGIN CERTIFICATE-----")',
    );
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw new SealingKeyError(
      `holds a ${key.asymmetricKeyType ?? 'non-RSA'} key, and the sealed-secrets controller seals with RSA`,
      "give the sealed-secrets controller's own certificate",
    );
  }
  return key;
}

const SESSION_KEY_BYTES = 32;
const GCM_NONCE_BYTES = 12;

/**
 * Seals one value as the sealed-secrets controller unseals it (its hybrid
 * scheme): a fresh AES-256 session key encrypts the value with GCM (a zero
 * nonce: the key is used once), RSA-OAEP with SHA-256 and the scope's label
 * encrypts the session key, and the result is the RSA ciphertext's length
 * (2 bytes, big-endian), the RSA ciphertext, then the AES ciphertext and its
 * tag, in base64.
 * @see https://github.com/bitnami-labs/sealed-secrets/blob/main/pkg/crypto/crypto.go
 */
export function sealValue(key: crypto.KeyObject, value: Uint8Array, label: string): string {
  const sessionKey = crypto.randomBytes(SESSION_KEY_BYTES);
  const sealedKey = crypto.publicEncrypt(
    { key, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: Buffer.from(label) },
    sessionKey,
  );
  const cipher = crypto.createCipheriv('aes-256-gcm', sessionKey, Buffer.alloc(GCM_NONCE_BYTES));
  const encrypted = Buffer.concat([cipher.update(value), cipher.final(), cipher.getAuthTag()]);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(sealedKey.length);
  return Buffer.concat([length, sealedKey, encrypted]).toString('base64');
}

/** Whether a text reads as a sealed value: base64 of at least the length, an RSA-2048 ciphertext and a GCM tag. */
export function looksSealed(text: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0) {
    return false;
  }
  const bytes = Buffer.from(text, 'base64');
  return bytes.length >= 2 + 256 + 16 && bytes.readUInt16BE(0) >= 256 && bytes.length >= 2 + bytes.readUInt16BE(0) + 16;
}
