import { createPrivateKey, generateKeyPairSync, randomBytes, sign, X509Certificate } from 'node:crypto';

/** How long our SP signing certificate is valid (IdPs mostly ignore it; some check it). */
export const SP_CERTIFICATE_DAYS = 3650;

/** Our SAML signing key for one connection: the private key (PEM, sealed at rest) and its certificate. */
export interface SpSigningKey {
  privateKeyPem: string;
  certificatePem: string;
}

/**
 * A fresh RSA-2048 key and a self-signed X.509 v3 certificate of it (SHA-256 with RSA), the subject
 * naming the SP. IdPs verify our signed LogoutRequests (and AuthnRequests) with the certificate our
 * metadata publishes; a self-signed one is what SAML metadata expects (trust comes from the
 * metadata, not a CA).
 */
export function generateSpSigningKey(commonName: string, now = new Date()): SpSigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const name = seq(set(seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from(commonName.slice(0, 64), 'utf8')))));
  const algorithm = seq(oid('1.2.840.113549.1.1.11'), tlv(0x05, Buffer.alloc(0)));
  const serial = randomBytes(16);
  serial[0] = ((serial[0] ?? 0) % 0x7f) + 1; // 0x01–0x7f: a positive INTEGER, minimally encoded (DER)
  const notAfter = new Date(now.getTime() + SP_CERTIFICATE_DAYS * 86_400_000);
  const tbs = seq(
    tlv(0xa0, integer(Buffer.from([2]))),
    integer(serial),
    algorithm,
    name,
    seq(time(new Date(now.getTime() - 60_000)), time(notAfter)),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = seq(tbs, algorithm, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const certificatePem = `-----BEGIN CERTIFICATE-----\n${der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
  // Parsed once: a certificate Node cannot read is never stored.
  new X509Certificate(certificatePem);
  return { privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), certificatePem };
}

interface SigningSettings {
  singleLogout?: boolean;
  signAuthnRequests?: boolean;
  spCertificate?: string;
}

/** Whether we sign our requests to the IdP: with signed AuthnRequests or single logout on. */
export function signsRequests(idp: SigningSettings): boolean {
  return idp.singleLogout === true || idp.signAuthnRequests === true;
}

/**
 * The connection's signing key (PEM) when it signs its requests (signed AuthnRequests or single
 * logout on): then every request of ours to the IdP is signed (AuthnRequest and LogoutRequest) and
 * our metadata says so. Else undefined.
 */
export function signingKeyOf(
  connection: { id: string; sealedSecret: Buffer | null; idp: SigningSettings },
  secrets: { open(connection: { id: string; sealedSecret: Buffer | null }): string },
): string | undefined {
  return signsRequests(connection.idp) && connection.idp.spCertificate && connection.sealedSecret
    ? secrets.open(connection)
    : undefined;
}

/** Whether a PEM private key and a PEM certificate belong together. */
export function keyMatchesCertificate(key: SpSigningKey): boolean {
  return new X509Certificate(key.certificatePem).checkPrivateKey(createPrivateKey(key.privateKeyPem));
}

function tlv(tag: number, content: Buffer): Buffer {
  const length = content.length;
  let head: Buffer;
  if (length < 0x80) head = Buffer.from([tag, length]);
  else if (length < 0x100) head = Buffer.from([tag, 0x81, length]);
  else if (length < 0x10000) head = Buffer.from([tag, 0x82, length >> 8, length & 0xff]);
  else throw new Error('DER element too long');
  return Buffer.concat([head, content]);
}

function seq(...parts: Buffer[]): Buffer {
  return tlv(0x30, Buffer.concat(parts));
}

function set(...parts: Buffer[]): Buffer {
  return tlv(0x31, Buffer.concat(parts));
}

function integer(value: Buffer): Buffer {
  return tlv(0x02, value);
}

function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [first * 40 + second];
  for (const n of rest) {
    const chunk = [n & 0x7f];
    for (let v = n >> 7; v > 0; v >>= 7) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** UTCTime until 2049, GeneralizedTime from 2050 (RFC 5280 4.1.2.5). */
function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return date.getUTCFullYear() < 2050
    ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`, 'ascii'))
    : tlv(0x18, Buffer.from(`${iso}Z`, 'ascii'));
}
