/**
 * What a `.guanmo` file carries (inside the encryption, see carry-file.ts): the outbox entries
 * exactly as this laptop holds them (same mutation ids, HLCs and changed fields), the current
 * local state of each record they name (null: deleted here), the photo bytes the server has not
 * confirmed, with their thumbnails, and the tours' names for the summary shown before import.
 */
import { z } from 'zod';
import { hlcStringSchema } from '@shared/sync/hlc';
import { syncedCollections } from '../../db/entities';
import { countWorkByTour, type TourWork } from '../../sync/unsynced-work';

const span = z.object({ offset: z.number().int().min(0), size: z.number().int().min(0) }).strict();

export const carryEntrySchema = z
  .object({
    mutationId: z.string().min(1).max(128),
    collection: z.enum(syncedCollections),
    recordId: z.string().min(1).max(128),
    changedFields: z.array(z.string().min(1).max(64)).min(1).max(200),
    hlc: hlcStringSchema.nullable(),
    createdAt: z.string().max(40),
    deleted: z.literal(true).optional(),
  })
  .strict();
export type CarryEntry = z.infer<typeof carryEntrySchema>;

export const carryPayloadSchema = z
  .object({
    entries: z.array(carryEntrySchema),
    /** validated per collection when merged (collectionSchemas) */
    records: z.array(
      z
        .object({
          collection: z.enum(syncedCollections),
          id: z.string().min(1).max(128),
          /** the record's tour (for a deleted record: as the server knew it) */
          tourId: z.string().max(128).nullable(),
          record: z.record(z.string(), z.unknown()).nullable(),
        })
        .strict(),
    ),
    blobs: z.array(
      z
        .object({
          sha256: z.string().regex(/^[0-9a-f]{64}$/),
          type: z.string().max(100),
          /** the tour of the photo these bytes are (null: its record is gone) */
          tourId: z.string().max(128).nullable(),
          photoId: z.string().max(128).nullable(),
          ...span.shape,
        })
        .strict(),
    ),
    previews: z.array(z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), thumb: span, display: span.nullable(), thumbSha256: z.string().regex(/^[0-9a-f]{64}$/).optional() }).strict()),
    tours: z.array(z.object({ id: z.string(), name: z.string() }).strict()),
  })
  .strict();
export type CarryPayload = z.infer<typeof carryPayloadSchema>;

/** The summary of a file, shown before the user confirms the import. */
export function summarizePayload(payload: CarryPayload): { tours: (TourWork & { name: string })[]; photoBytes: number } {
  const tourOfRecord = new Map(payload.records.map((r) => [`${r.collection}\u0000${r.id}`, r.tourId]));
  const keys = payload.entries.map((e) => ({ collection: e.collection, recordId: e.recordId, tourId: tourOfRecord.get(`${e.collection}\u0000${e.recordId}`) ?? null }));
  const names = new Map(payload.tours.map((t) => [t.id, t.name]));
  const tours = countWorkByTour(keys, payload.blobs).map((w) => ({ ...w, name: names.get(w.tourId) ?? w.tourId }));
  return { tours, photoBytes: payload.blobs.reduce((sum, b) => sum + b.size, 0) };
}
