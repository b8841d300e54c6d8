import crypto from 'node:crypto';

/** Lark's signature: lowercase hex SHA-256 of timestamp + nonce + encrypt key + the raw body bytes. */
export function larkSignature(timestamp: string, nonce: string, encryptKey: string, rawBody: Buffer): string {
  return crypto.createHash('sha256').update(timestamp + nonce + encryptKey).update(rawBody).digest('hex');
}

/** Constant-time check of X-Lark-Signature. */
export function verifyLarkSignature(headers: { timestamp?: string; nonce?: string; signature?: string }, encryptKey: string, rawBody: Buffer): boolean {
  const { timestamp, nonce, signature } = headers;
  if (!timestamp || !nonce || !signature) return false;
  const want = Buffer.from(larkSignature(timestamp, nonce, encryptKey, rawBody), 'utf8');
  const got = Buffer.from(signature.toLowerCase(), 'utf8');
  return got.length === want.length && crypto.timingSafeEqual(got, want);
}

// The AES key is derived once per encrypt key (one per process in practice), not on every request.
let derived: { encryptKey: string; key: Buffer } | null = null;
function aesKey(encryptKey: string): Buffer {
  if (derived?.encryptKey !== encryptKey) derived = { encryptKey, key: crypto.createHash('sha256').update(encryptKey).digest() };
  return derived.key;
}

/** AES-256-CBC with key = SHA-256(encrypt key), IV = the first 16 bytes; PKCS#7. Throws on bad input. */
export function decryptLarkPayload(encryptKey: string, encrypted: string): string {
  const key = aesKey(encryptKey);
  const raw = Buffer.from(encrypted, 'base64');
  if (raw.length < 32 || raw.length % 16 !== 0) throw new Error('encrypted payload has a bad length');
  const decipher = crypto.createDecipheriv('aes-256-cbc', key, raw.subarray(0, 16));
  return Buffer.concat([decipher.update(raw.subarray(16)), decipher.final()]).toString('utf8');
}

/** The inverse of decryptLarkPayload, as Lark does it (used by tests and the benchmark). */
export function encryptLarkPayload(encryptKey: string, plaintext: string, iv: Buffer = crypto.randomBytes(16)): string {
  const key = aesKey(encryptKey);
  const cipher = crypto.createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}
