/**
 * The `.guanmo` file: a laptop's unsynced work, encrypted to one user.
 *
 *   GUANMO-CARRY/1\n                 magic and format version (plain)
 *   {header JSON}\n                  who the file is for, from which laptop, when; iv; checksum (plain)
 *   ciphertext                       AES-256-GCM of the payload, with the header line as additional data
 *
 * Payload (plaintext): a 4-byte big-endian length, the payload JSON (carry-payload.ts), then
 * the photo bytes one after the other (offsets in the JSON).
 *
 * Why the key comes from the server (GET /api/carry/key, kept on each laptop the user signs in
 * on) and not from the password: the scorer whose laptop broke mid-tour has forgotten nothing
 * but may have changed the one-time password the secretariat handed out since; a key derived
 * from the password would then open no file made before. The server's key is the same for the
 * user everywhere and forever, export needs no network (the key was saved at sign-in), and import
 * works offline on any laptop the user has signed in on before (else after one online sign-in).
 *
 * What must stay true:
 * - A file whose bytes changed anywhere is refused: the header is authenticated by GCM, the
 *   ciphertext by GCM and by the sha256 in the header (which tells "damaged" from "wrong key").
 * - Nothing here touches the database: reading a file is all-or-nothing before any write.
 */
import { z } from 'zod';
import { hlcNodeSchema } from '@shared/sync/hlc';

const MAGIC = 'GUANMO-CARRY/1\n';
export const CARRY_FORMAT = 'guanmo-carry' as const;
export const CARRY_FORMAT_VERSION = 1;
export const CARRY_FILE_EXTENSION = 'guanmo';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export const carryHeaderSchema = z
  .object({
    format: z.literal(CARRY_FORMAT),
    version: z.number().int(),
    exportId: z.string().min(1).max(64),
    user: z.object({ id: z.string().min(1).max(128), username: z.string().max(128), displayName: z.string().max(128) }).strict(),
    keyId: z.string().min(1).max(16),
    exportedAt: z.string().max(40),
    fromDevice: z.object({ clientId: hlcNodeSchema, name: z.string().max(80) }).strict(),
    cipher: z.literal('AES-256-GCM'),
    iv: z.string().regex(/^[A-Za-z0-9+/]{16}$/),
    cipherBytes: z.number().int().min(16),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();
export type CarryHeader = z.infer<typeof carryHeaderSchema>;

/** Why a file cannot be read; each has its own message (carry messages, `carry.error.*`). */
export type CarryReadFailure =
  /** not a .guanmo file at all */
  | 'notCarryFile'
  /** made by a newer app */
  | 'newerFormat'
  /** shorter than its header says: cut off while copying */
  | 'truncated'
  /** bytes changed (checksum or authentication failed) */
  | 'damaged'
  /** exported by another user */
  | 'otherUser'
  /** this device has no key for the user (never signed in online here) */
  | 'noKey'
  /** the payload is not what this app writes */
  | 'invalidContent';

export class CarryFileError extends Error {
  override readonly name = 'CarryFileError';
  constructor(
    readonly failure: CarryReadFailure,
    message: string,
    /** otherUser: whose file it is */
    readonly owner?: CarryHeader['user'],
  ) {
    super(message);
  }
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** What GCM authenticates besides the ciphertext: every header field but the checksum, in a fixed order. */
function additionalDataOf(h: Omit<CarryHeader, 'sha256'>): Uint8Array<ArrayBuffer> {
  return encoder.encode(
    JSON.stringify([h.format, h.version, h.exportId, h.user.id, h.user.username, h.user.displayName, h.keyId, h.exportedAt, h.fromDevice.clientId, h.fromDevice.name, h.cipher, h.iv, h.cipherBytes]),
  );
}

function importKey(keyBase64: string): Promise<CryptoKey> {
  const raw = fromBase64(keyBase64);
  if (raw.length !== 32) throw new Error('a carry key is 32 bytes');
  return crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
}

export interface SealInput {
  header: Omit<CarryHeader, 'format' | 'version' | 'cipher' | 'iv' | 'cipherBytes' | 'sha256'>;
  key: string;
  json: unknown;
  /** photo bytes, in the order the JSON's offsets count them */
  blobs: readonly Uint8Array[];
}

/** Encrypts the payload to the user's key and writes the file's bytes. */
export async function sealCarryFile({ header, key, json, blobs }: SealInput): Promise<Uint8Array<ArrayBuffer>> {
  const jsonBytes = encoder.encode(JSON.stringify(json));
  const blobBytes = blobs.reduce((sum, b) => sum + b.byteLength, 0);
  const plain = new Uint8Array(4 + jsonBytes.byteLength + blobBytes);
  new DataView(plain.buffer).setUint32(0, jsonBytes.byteLength);
  plain.set(jsonBytes, 4);
  let at = 4 + jsonBytes.byteLength;
  for (const blob of blobs) {
    plain.set(blob, at);
    at += blob.byteLength;
  }
  const iv = crypto.getRandomValues(new Uint8Array(12));
  // the GCM tag adds 16 bytes; the header names the exact length so that a cut file is told apart
  const cipherBytes = plain.byteLength + 16;
  // the checksum is of the ciphertext, so GCM authenticates every header field but it
  const fullHeaderBase = { format: CARRY_FORMAT, version: CARRY_FORMAT_VERSION, ...header, cipher: 'AES-256-GCM' as const, iv: toBase64(iv), cipherBytes };
  const cryptoKey = await importKey(key);
  const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: additionalDataOf(fullHeaderBase) }, cryptoKey, plain));
  const fullHeader: CarryHeader = { ...fullHeaderBase, sha256: await sha256Hex(ciphertext) };
  const headerLine = encoder.encode(`${MAGIC}${JSON.stringify(fullHeader)}\n`);
  const file = new Uint8Array(headerLine.byteLength + ciphertext.byteLength);
  file.set(headerLine, 0);
  file.set(ciphertext, headerLine.byteLength);
  return file;
}

/** The plain header of a file, without its key: whom it belongs to. Throws CarryFileError. */
export function readCarryHeader(file: Uint8Array<ArrayBuffer>): { header: CarryHeader; body: Uint8Array<ArrayBuffer> } {
  const magic = encoder.encode(MAGIC);
  const isCarry = file.byteLength >= magic.byteLength && magic.every((b, i) => file[i] === b);
  if (!isCarry) {
    // a newer format announces itself with another version number after the same prefix
    const prefix = encoder.encode('GUANMO-CARRY/');
    const isNewer = file.byteLength > prefix.byteLength && prefix.every((b, i) => file[i] === b);
    throw new CarryFileError(isNewer ? 'newerFormat' : 'notCarryFile', isNewer ? 'made by a newer version of the app' : 'not a .guanmo file');
  }
  const end = file.indexOf(0x0a, magic.byteLength);
  if (end < 0) throw new CarryFileError('truncated', 'the header is cut off');
  let header: CarryHeader;
  try {
    const parsed = carryHeaderSchema.safeParse(JSON.parse(decoder.decode(file.subarray(magic.byteLength, end))));
    if (!parsed.success) throw new Error(parsed.error.issues[0]?.message);
    header = parsed.data;
  } catch (error) {
    throw new CarryFileError('damaged', `the header is unreadable (${error instanceof Error ? error.message : String(error)})`);
  }
  if (header.version !== CARRY_FORMAT_VERSION) throw new CarryFileError('newerFormat', `format version ${header.version}`);
  const body = file.subarray(end + 1);
  if (body.byteLength < header.cipherBytes) throw new CarryFileError('truncated', `${body.byteLength} of ${header.cipherBytes} bytes`);
  if (body.byteLength > header.cipherBytes) throw new CarryFileError('damaged', `${body.byteLength - header.cipherBytes} bytes too many`);
  return { header, body };
}

export interface OpenedCarryFile {
  header: CarryHeader;
  json: unknown;
  /** the photo bytes area; the JSON's offsets point into it */
  bytes: Uint8Array<ArrayBuffer>;
}

/**
 * Checks and decrypts a file for the signed-in user. `keyFor(userId, keyId)` gives the key this
 * device holds (null: none). Throws CarryFileError.
 */
export async function openCarryFile(file: Uint8Array<ArrayBuffer>, signedInUserId: string, keyFor: (userId: string, keyId: string) => Promise<string | null>): Promise<OpenedCarryFile> {
  const { header, body } = readCarryHeader(file);
  if ((await sha256Hex(body)) !== header.sha256) throw new CarryFileError('damaged', 'the checksum does not match');
  if (header.user.id !== signedInUserId) throw new CarryFileError('otherUser', `exported by ${header.user.username}`, header.user);
  const key = await keyFor(header.user.id, header.keyId);
  if (!key) throw new CarryFileError('noKey', 'no key for this user on this device');
  let plain: Uint8Array<ArrayBuffer>;
  try {
    plain = new Uint8Array(
      await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64(header.iv), additionalData: additionalDataOf(header) }, await importKey(key), body),
    );
  } catch {
    // the checksum matched, so the bytes are as written: the header was altered, or the key is not the one it was sealed with
    throw new CarryFileError('damaged', 'the file does not open with this user’s key');
  }
  if (plain.byteLength < 4) throw new CarryFileError('invalidContent', 'empty payload');
  const jsonLength = new DataView(plain.buffer, plain.byteOffset).getUint32(0);
  if (4 + jsonLength > plain.byteLength) throw new CarryFileError('invalidContent', 'payload length');
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(plain.subarray(4, 4 + jsonLength)));
  } catch {
    throw new CarryFileError('invalidContent', 'payload is not JSON');
  }
  return { header, json, bytes: plain.subarray(4 + jsonLength) };
}
