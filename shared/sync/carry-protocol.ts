/**
 * Unsynced work carried by file, and which laptops still hold unsynced work (issue 15 item 3).
 *
 *   GET  /api/carry/key                    → CarryKeyResponse   (any signed-in user: their own key)
 *   POST /api/carry/device-status          ← DeviceStatusReport (any signed-in user, each sync round)
 *   GET  /api/tours/:id/carry-devices      → TourCarryDevices   (secretariat, admin)
 *
 * The carry key is the AES-256 key a `.guanmo` file is encrypted with. The server derives it
 * from a secret of its own and the user's id (HMAC), so it is the same on every laptop the user
 * signs in on, never changes when the password changes, and the app keeps it on each laptop the
 * user has signed in on (renderer/src/features/carry/carry-keys.ts): export and import then work
 * with no network at all, as long as the user signed in on that laptop once.
 */
import { z } from 'zod';
import { idSchema, isoDateTimeSchema, text } from '../domain/schemas';
import { hlcNodeSchema, hlcStringSchema } from './hlc';

export const CARRY_KEY_ID = 'k1';

export const carryKeyResponseSchema = z
  .object({
    userId: idSchema,
    /** which derivation made the key (a later key rotation gets a new id) */
    keyId: z.literal(CARRY_KEY_ID),
    /** 32 bytes, base64 */
    key: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'expected 32 bytes in base64'),
  })
  .strict();
export type CarryKeyResponse = z.infer<typeof carryKeyResponseSchema>;

const count = z.number().int().min(0).max(1_000_000);

/** What one laptop holds unsynced for one tour, counted as a person counts it (pending-summary.ts). */
export const tourPendingSchema = z
  .object({
    tourId: idSchema,
    sheets: count,
    ballots: count,
    notes: count,
    photos: count,
    /** tours, stops, units, scorers (the desk's own edits) */
    other: count,
  })
  .strict();
export type TourPending = z.infer<typeof tourPendingSchema>;

/** A file this laptop imported, whose work has all left this laptop's outbox (pushed). */
export const carriedFileSchema = z
  .object({
    /** the laptop the file was exported on */
    fromClientId: hlcNodeSchema,
    /** the newest HLC among the file's outbox entries: that laptop's work up to here is on the server */
    throughHlc: hlcStringSchema,
  })
  .strict();

export const MAX_REPORTED_TOURS = 200;
export const MAX_REPORTED_CARRIES = 50;

export const deviceStatusReportSchema = z
  .object({
    clientId: hlcNodeSchema,
    /** a readable name for the desk, e.g. "评委甲的笔记本" or "Windows · 3F2A" */
    deviceName: text().trim().min(1).max(80),
    appVersion: text().trim().max(40).optional(),
    /** per tour, only tours with something pending */
    pending: z.array(tourPendingSchema).max(MAX_REPORTED_TOURS),
    /** the newest HLC among the outbox entries this laptop holds (null: the outbox is empty) */
    newestPendingHlc: hlcStringSchema.nullable(),
    carried: z.array(carriedFileSchema).max(MAX_REPORTED_CARRIES).default([]),
  })
  .strict();
export type DeviceStatusReport = z.input<typeof deviceStatusReportSchema>;

export const carryDeviceSchema = z
  .object({
    clientId: z.string(),
    deviceName: z.string(),
    appVersion: z.string().nullable(),
    user: z.object({ id: z.string(), username: z.string(), displayName: z.string() }).strict().nullable(),
    /** ISO instant of the laptop's last report (server clock) */
    lastSeenAt: isoDateTimeSchema,
    pending: tourPendingSchema.omit({ tourId: true }),
  })
  .strict();
export type CarryDevice = z.infer<typeof carryDeviceSchema>;

export const tourCarryDevicesSchema = z
  .object({
    tourId: z.string(),
    /** laptops whose last report holds unsynced work of this tour, longest unseen first */
    devices: z.array(carryDeviceSchema),
    /** laptops that held work of this tour which another laptop carried in by file */
    carried: z.array(
      z
        .object({ clientId: z.string(), deviceName: z.string(), user: carryDeviceSchema.shape.user, carriedAt: isoDateTimeSchema })
        .strict(),
    ),
  })
  .strict();
export type TourCarryDevices = z.infer<typeof tourCarryDevicesSchema>;
