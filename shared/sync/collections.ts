/**
 * The kinds of synced records and the schema each is validated with. The renderer's outbox and
 * Dexie tables, the sync protocol and the server's record store all use these names, so they
 * agree by construction.
 *
 * What must stay true:
 * - Names are stable: they are stored in outboxes on laptops, in the server's database and in
 *   pull cursors' pages. Add new kinds at the end; never rename one.
 * - Every record has `id`; every record except a tour has `tourId` (a tour's tour is itself).
 */
import type { z } from 'zod';
import { rankBallotSchema, type RankBallot } from '../domain/rank-vote';
import {
  noteSchema,
  photoMetaSchema,
  scoreSheetSchema,
  scorerSchema,
  stopSchema,
  tourSchema,
  unitSchema,
  type Note,
  type PhotoMeta,
  type ScoreSheet,
  type Scorer,
  type Stop,
  type Tour,
  type Unit,
} from '../domain/schemas';

export const recordCollections = ['tours', 'units', 'stops', 'scorers', 'sheets', 'notes', 'photos', 'ballots'] as const;
export type RecordCollection = (typeof recordCollections)[number];

export function isRecordCollection(value: unknown): value is RecordCollection {
  return typeof value === 'string' && (recordCollections as readonly string[]).includes(value);
}

export interface CollectionRecords {
  tours: Tour;
  units: Unit;
  stops: Stop;
  scorers: Scorer;
  sheets: ScoreSheet;
  notes: Note;
  photos: PhotoMeta;
  ballots: RankBallot;
}

/** The zod schema of each collection: every record is parsed with it before it is stored. */
export const recordSchemas: { readonly [C in RecordCollection]: z.ZodType<CollectionRecords[C], unknown> } = {
  tours: tourSchema,
  units: unitSchema,
  stops: stopSchema,
  scorers: scorerSchema,
  sheets: scoreSheetSchema,
  notes: noteSchema,
  photos: photoMetaSchema,
  ballots: rankBallotSchema,
};

/**
 * Fields that name what a record belongs to and who made it: set when the record is created,
 * never changed afterwards (authorisation and the derived ids rely on them).
 */
export const immutableFields: { readonly [C in RecordCollection]: readonly string[] } = {
  tours: ['id'],
  units: ['id', 'tourId'],
  stops: ['id', 'tourId'],
  scorers: ['id', 'tourId'],
  sheets: ['id', 'tourId', 'stopId', 'scorerId'],
  notes: ['id', 'tourId', 'stopId', 'authorId'],
  photos: ['id', 'tourId', 'stopId', 'authorId', 'sha256'],
  ballots: ['id', 'tourId', 'scorerId', 'group'],
};
