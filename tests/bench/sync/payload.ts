/**
 * The sync bench's payload, made the same way in Chromium (the Guanmo client) and in Node (the
 * PouchDB peer): photo bytes are an AES-128-CTR keystream (incompressible, like JPEG data),
 * keyed by the photo's index, so both sides produce byte-identical photos with the same sha256
 * without shipping 300 MB between processes. WebCrypto only: runs in both environments.
 *
 * Payload bytes = photo bytes + the UTF-8 size of each record's JSON (sheets, notes, photo
 * records as stored on the device). Bytes on the wire are divided by this.
 */

export interface PayloadSpec {
  sheets: number;
  notes: number;
  photos: number;
  /** bytes per photo */
  photoBytes: number;
  /**
   * bytes per photo thumbnail (the app's ~320 px JPEG at quality 0.8 of a site photo is 15–30 kB).
   * The importing device uploads it as its own blob so that other users see the photo early: it
   * is bytes on the wire the issue's payload does not contain, so the bench counts it as
   * overhead (on the wire, not in the payload), and the PouchDB peer does not send it.
   */
  thumbBytes: number;
}

/** issue 5: 30 sheets, 60 notes, 100 photos of 3 MB (and the app's thumbnail of each) */
export const issuePayload: PayloadSpec = { sheets: 30, notes: 60, photos: 100, photoBytes: 3_000_000, thumbBytes: 24_000 };

const encoder = new TextEncoder();

/** Deterministic incompressible bytes of photo `index` (or of its thumbnail). */
export async function photoBytes(index: number, size: number, kind: 'photo' | 'thumb' = 'photo'): Promise<Uint8Array<ArrayBuffer>> {
  const seed = await crypto.subtle.digest('SHA-256', encoder.encode(kind === 'photo' ? `guanmo-sync-bench-photo-${index}` : `guanmo-sync-bench-thumb-${index}`));
  const key = await crypto.subtle.importKey('raw', seed.slice(0, 16), { name: 'AES-CTR' }, false, ['encrypt']);
  const keystream = await crypto.subtle.encrypt({ name: 'AES-CTR', counter: new Uint8Array(16), length: 64 }, key, new Uint8Array(size));
  return new Uint8Array(keystream);
}

export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** UTF-8 bytes of a record's JSON. */
export function recordJsonBytes(record: unknown): number {
  return encoder.encode(JSON.stringify(record)).length;
}

const noteKinds = ['highlight', 'problem', 'suggestion'] as const;
const noteTexts = [
  '项目推进速度快，主体结构已封顶，现场组织有序，安全文明施工措施到位，汇报材料详实。',
  '部分设备尚未到场，二期用地手续仍在办理，建议加快要素保障，明确时间节点。',
  '建议进一步加强与上下游企业的协作配套，推动补链强链，提高亩均效益和税收贡献。',
];

/** The i-th note's kind and text (a few sentences, as written on site). */
export function noteContent(i: number): { kind: (typeof noteKinds)[number]; text: string } {
  const text = `第${i + 1}条：${noteTexts[i % noteTexts.length]!}${noteTexts[(i + 1) % noteTexts.length]!}`;
  return { kind: noteKinds[i % noteKinds.length]!, text };
}

/** Summary the client side reports after seeding (the records exactly as stored). */
export interface SeededPayload {
  sheets: Record<string, unknown>[];
  notes: Record<string, unknown>[];
  photos: Array<Record<string, unknown> & { sha256: string; size: number; id: string; thumbSha256?: string | null }>;
  /** bytes of each photo's thumbnail (0: no thumbnails) */
  thumbBytes: number;
}

export interface PayloadSize {
  photoBytes: number;
  recordBytes: number;
  total: number;
  /** thumbnail bytes the Guanmo client uploads besides the payload (overhead, not in `total`) */
  thumbnailBytes: number;
}

export function payloadSize(payload: SeededPayload): PayloadSize {
  const records = [...payload.sheets, ...payload.notes, ...payload.photos];
  const recordBytes = records.reduce((sum, record) => sum + recordJsonBytes(record), 0);
  const photoTotal = payload.photos.reduce((sum, photo) => sum + photo.size, 0);
  const thumbnails = payload.photos.filter((photo) => typeof photo.thumbSha256 === 'string').length;
  return { photoBytes: photoTotal, recordBytes, total: photoTotal + recordBytes, thumbnailBytes: thumbnails * payload.thumbBytes };
}
