/**
 * The domain records of Guanmo as zod schemas: the one definition every trust boundary
 * (import, IPC, IndexedDB, the sync server) validates against. Types are inferred from them.
 *
 * What must stay true:
 * - A photo record never carries the photo bytes; the bytes travel separately by sha256.
 * - A score sheet's id is derived from (tour, stop, scorer) by `sheetId`, so two laptops of
 *   one scorer can never create two sheets for the same stop.
 * - Money is in 万元 (10,000 yuan) as on the secretariat's tables.
 */
import { z } from 'zod';
import { text } from './clean-text';

export { cleanTextMessage, findUncleanText, isCleanText, text } from './clean-text';

export const idSchema = text().trim().min(1).max(128);

/** Calendar date as the secretariat writes it: YYYY-MM-DD (no time zone). */
export const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date like 2021-12-08')
  .refine((s) => isRealDate(s), 'not a real calendar date');

/** An instant, ISO 8601 with time zone, e.g. 2021-12-08T09:30:00.000Z. */
export const isoDateTimeSchema = text().datetime({ offset: true });

export const latitudeSchema = z.number().finite().min(-90).max(90);
export const longitudeSchema = z.number().finite().min(-180).max(180);

export const roleSchema = z.enum(['admin', 'secretariat', 'scorer', 'observer']);
export type Role = z.infer<typeof roleSchema>;

export const tourKindSchema = z.enum(['scored', 'study']);
export type TourKind = z.infer<typeof tourKindSchema>;

/** draft → published → scoring → closed → results_published */
export const tourStatusSchema = z.enum(['draft', 'published', 'scoring', 'closed', 'results_published']);
export type TourStatus = z.infer<typeof tourStatusSchema>;

export const trimRuleSchema = z
  .object({
    /** how many of the highest and how many of the lowest totals are dropped */
    dropHighest: z.number().int().min(0).max(10),
    dropLowest: z.number().int().min(0).max(10),
    /** trimming applies only when a project has at least this many sheets */
    minSheets: z.number().int().min(1).max(1000),
  })
  .refine((t) => t.minSheets > t.dropHighest + t.dropLowest, {
    message: 'minSheets must exceed the number of dropped sheets',
  });
export type TrimRule = z.infer<typeof trimRuleSchema>;

/** Where a ranking list runs: over the whole tour, or within each unit group (县组 / 区组 …). */
export const rankScopeSchema = z.enum(['tour', 'group']);
export type RankScope = z.infer<typeof rankScopeSchema>;

/**
 * Rules stored before the two rank scopes existed had one switch, `rankWithinGroups`, for
 * projects and units together: read it as both scopes when a scope is absent.
 */
function fillRankScopes(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const rules = input as Record<string, unknown>;
  const legacy: RankScope = rules.rankWithinGroups === false ? 'tour' : 'group';
  return {
    ...rules,
    projectScope: rules.projectScope ?? legacy,
    unitScope: rules.unitScope ?? legacy,
  };
}

const rankingRulesFields = z.object({
  /**
   * `score`: projects scored on the template, units from their projects.
   * `rankVote`: each scorer ranks the units; rank r earns 100 − 3(r−1) points.
   */
  method: z.enum(['score', 'rankVote']).default('score'),
  /** null = plain mean */
  trim: trimRuleSchema.nullable().default(null),
  /**
   * Weight of each scorer weight group (e.g. {"市领导": 0.6, "部门": 0.4}); a project's score is
   * the weighted mean of the groups' (trimmed) means. null = every sheet counts the same.
   */
  groupWeights: z.record(text().min(1), z.number().positive().finite()).nullable().default(null),
  /** a scorer does not score projects of their own home unit */
  recusal: z.boolean().default(true),
  /** unit score from its projects' scores */
  unitScore: z.enum(['mean', 'investmentWeighted']).default('mean'),
  /**
   * Blend with imported indicator scores (0..100 per unit):
   * unit = (1 − indicatorWeight) × on-site score + indicatorWeight × indicator score.
   */
  indicatorWeight: z.number().min(0).max(1).default(0),
  /** where projects are ranked: over the whole tour, or within their unit's group */
  projectScope: rankScopeSchema,
  /** where units are ranked (and, for rank-vote, what each ballot lists) */
  unitScope: rankScopeSchema,
  /** criterion key that breaks ties (higher mean wins); null = ties share a rank (1, 2, 2, 4) */
  tieBreakCriterion: text().min(1).nullable().default(null),
});

/**
 * The ranking rules as this release reads them. `rankWithinGroups` is not among them: it is read
 * only to fill scopes that a stored record lacks (see fillRankScopes).
 */
export type RankingRules = z.output<typeof rankingRulesFields>;

/**
 * Every parse writes `rankWithinGroups` as a mirror of `unitScope` into the value (not into the
 * type: no code of this release reads it). Laptops on an older release know only that switch and
 * derive from it the lists a rank-vote ballot ranks; the unit scope is the one that decides which
 * ballots scorers create, so mirroring it keeps an older laptop's voters on the right lists (its
 * own rankings screen may then show projects in the unit scope: display only, nothing is stored).
 * The server parses every record it stores, so what older laptops pull always carries a mirror
 * that matches, even when a client wrote rules without one.
 */
function withLegacyMirror(rules: RankingRules): RankingRules {
  return { ...rules, rankWithinGroups: rules.unitScope === 'group' } as RankingRules;
}

export const rankingRulesSchema = z.preprocess(fillRankScopes, rankingRulesFields.transform(withLegacyMirror));

/** Whether two rules values rank alike (compared field by field, whatever else they carry). */
export function isSameRules(a: RankingRules, b: RankingRules): boolean {
  return rulesKey(a) === rulesKey(b);
}

/** A stable text of the rules (what the engine reads, in schema order): equal rules, equal key. */
export function rulesKey(rules: RankingRules): string {
  const filled = fillRankScopes(rules) as RankingRules;
  const canonical = (value: unknown): unknown =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.entries(value as Record<string, unknown>)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([k, v]) => [k, canonical(v)])
      : (value ?? null);
  return JSON.stringify(Object.keys(rankingRulesFields.shape).map((key) => [key, canonical(filled[key as keyof RankingRules])]));
}

export const defaultRankingRules: RankingRules = rankingRulesSchema.parse({});

export const criterionSchema = z
  .object({
    key: text().trim().min(1).max(64),
    name: text().trim().min(1).max(100),
    max: z.number().positive().max(1000),
    step: z.number().positive().max(1000),
    guidance: text().max(2000).default(''),
  })
  .refine((c) => isMultipleOf(c.max, c.step), { message: 'max must be a multiple of step', path: ['max'] })
  .refine((c) => isMultipleOf(c.step, 0.01), { message: 'step must be a multiple of 0.01', path: ['step'] });
export type Criterion = z.infer<typeof criterionSchema>;

export const templateSchema = z
  .object({
    id: idSchema,
    name: text().trim().min(1).max(200),
    criteria: z.array(criterionSchema).min(1).max(100),
  })
  .refine((t) => new Set(t.criteria.map((c) => c.key)).size === t.criteria.length, {
    message: 'criterion keys must be unique',
    path: ['criteria'],
  });
export type Template = z.infer<typeof templateSchema>;

/**
 * The bulletin's (通报) header and sign-off, as a 观摩办 lays out an official document: typed by
 * the secretariat on the bulletin page and saved with the tour (one synced field, written whole).
 * Empty text = not set (not printed); `issueDate` null = 印发日期 not set yet — never "today" by
 * default: the date an office issues a document is its decision, not the printer's clock.
 */
export const bulletinHeaderSchema = z.object({
  /** 发文机关, printed as the red masthead (红头), e.g. 聊城市重点项目观摩活动办公室 */
  issuingAuthority: text().trim().max(100).default(''),
  /** 文号 under the masthead, e.g. 聊观办〔2018〕5号 */
  documentNumber: text().trim().max(60).default(''),
  /** 主送机关, the line before the body (printed with its closing colon) */
  addressees: text().trim().max(300).default(''),
  /** 落款: who signs, bottom right */
  signedBy: text().trim().max(100).default(''),
  /** 印发日期, under the 落款; null = not set */
  issueDate: isoDateSchema.nullable().default(null),
});
export type BulletinHeader = z.infer<typeof bulletinHeaderSchema>;

/**
 * The coordinate system of the coordinates on a tour's imported itinerary table: WGS-84 (GPS,
 * and CGCS2000, the national system of 天地图 and surveying, which differs from it by
 * centimetres), GCJ-02 (高德, 腾讯) or BD-09 (百度). Stored stop coordinates are always WGS-84
 * (shared/maps/coords.ts); this says how the table's were converted and what the desk's typed
 * coordinates mean.
 */
export const coordSystemSchema = z.enum(['wgs84', 'gcj02', 'bd09']);
export type TourCoordSystem = z.infer<typeof coordSystemSchema>;

export const tourSchema = z
  .object({
    id: idSchema,
    name: text().trim().min(1).max(200),
    kind: tourKindSchema,
    startDate: isoDateSchema,
    endDate: isoDateSchema,
    status: tourStatusSchema.default('draft'),
    /** score sheet template; null for study tours */
    template: templateSchema.nullable().default(null),
    rules: rankingRulesSchema.default(defaultRankingRules),
    /** the bulletin's header fields; absent until the secretariat first saves them */
    bulletin: bulletinHeaderSchema.optional(),
    /** the coordinate system of the imported itinerary table; absent = wgs84 (see tourCoordSystem) */
    coordSystem: coordSystemSchema.optional(),
  })
  .refine((t) => t.startDate <= t.endDate, { message: 'endDate is before startDate', path: ['endDate'] });
export type Tour = z.infer<typeof tourSchema>;

/** The tour's declared coordinate system: WGS-84 unless the secretariat said otherwise. */
export function tourCoordSystem(tour: Pick<Tour, 'coordSystem'>): TourCoordSystem {
  return tour.coordSystem ?? 'wgs84';
}

/** 参评单位: a host county / district / zone. */
export const unitSchema = z.object({
  id: idSchema,
  tourId: idSchema,
  name: text().trim().min(1).max(200),
  /** ranking group (县组 / 区组 …); null = the single default group */
  group: text().trim().min(1).max(100).nullable().default(null),
  /** imported indicator score 0..100, blended per the ranking rules; null = none */
  indicatorScore: z.number().min(0).max(100).nullable().default(null),
});
export type Unit = z.infer<typeof unitSchema>;

/** One stop of the itinerary = one project visited. */
export const stopSchema = z.object({
  id: idSchema,
  tourId: idSchema,
  unitId: idSchema,
  day: isoDateSchema,
  order: z.number().int().min(1).max(1000),
  name: text().trim().min(1).max(200),
  category: text().trim().max(50).default(''),
  /** 万元 */
  totalInvestment: z.number().finite().min(0).nullable().default(null),
  /** 万元 */
  completedInvestment: z.number().finite().min(0).nullable().default(null),
  startDate: isoDateSchema.nullable().default(null),
  content: text().max(5000).default(''),
  lat: latitudeSchema.nullable().default(null),
  lng: longitudeSchema.nullable().default(null),
  address: text().max(500).default(''),
  briefer: text().max(100).default(''),
});
export type Stop = z.infer<typeof stopSchema>;

/** A user assigned to a tour as scorer (or observer, who never gets sheets). */
export const scorerSchema = z.object({
  id: idSchema,
  tourId: idSchema,
  userId: idSchema,
  name: text().trim().min(1).max(100),
  role: z.enum(['scorer', 'observer']).default('scorer'),
  /** unit the scorer comes from: they recuse from its stops */
  homeUnitId: idSchema.nullable().default(null),
  /** key into rules.groupWeights */
  weightGroup: text().trim().min(1).max(100).nullable().default(null),
  /** 职务 as on the secretariat's scorer list (e.g. 市委书记), shown beside the name; absent = none */
  post: text().trim().max(100).optional(),
  /**
   * Assignment order: position on the secretariat's list (board columns, rankings, workbook and
   * bulletin list scorers by it). Absent on records made before it existed: those sort after
   * ordered ones, by name.
   */
  order: z.number().int().min(0).max(1_000_000).optional(),
});
export type Scorer = z.infer<typeof scorerSchema>;

export const sheetStatusSchema = z.enum(['draft', 'submitted', 'reopened']);
export type SheetStatus = z.infer<typeof sheetStatusSchema>;

/** 观摩评议表: one per (tour, stop, scorer). */
export const scoreSheetSchema = z.object({
  id: idSchema,
  tourId: idSchema,
  stopId: idSchema,
  scorerId: idSchema,
  /** criterion key → points; null or missing = not scored yet */
  scores: z.record(text().min(1), z.number().finite().min(0).nullable()),
  status: sheetStatusSchema.default('draft'),
  comment: text().max(2000).default(''),
  submittedAt: isoDateTimeSchema.nullable().default(null),
  updatedAt: isoDateTimeSchema,
  /**
   * Why the secretariat last reopened the sheet, so the scorer's laptop can say it. Written only
   * by the server's audited reopen (a push that changes it is refused); absent = never reopened.
   */
  reopenReason: text().max(1000).nullish(),
});
export type ScoreSheet = z.infer<typeof scoreSheetSchema>;

export const noteKindSchema = z.enum(['highlight', 'problem', 'suggestion']);
export type NoteKind = z.infer<typeof noteKindSchema>;
/** The labels the secretariat uses. */
export const noteKindLabels: Record<NoteKind, string> = {
  highlight: '亮点',
  problem: '问题',
  suggestion: '建议',
};

export const noteSchema = z.object({
  id: idSchema,
  tourId: idSchema,
  stopId: idSchema,
  authorId: idSchema,
  kind: noteKindSchema,
  text: text().trim().min(1).max(5000),
  createdAt: isoDateTimeSchema,
  updatedAt: isoDateTimeSchema,
  /**
   * Set when the note is deleted: a deleted note stays as a tombstone (so a late edit from
   * another device merges into a deleted note instead of bringing it back); lists skip it.
   */
  deletedAt: isoDateTimeSchema.nullable().default(null),
});
export type Note = z.infer<typeof noteSchema>;

export const sha256HexSchema = text().regex(/^[0-9a-f]{64}$/, 'expected a lowercase hex sha256');

/** Photo metadata. The bytes are not part of the record: they are addressed by `sha256`. */
export const photoMetaSchema = z.object({
  id: idSchema,
  tourId: idSchema,
  stopId: idSchema,
  authorId: idSchema,
  sha256: sha256HexSchema,
  size: z.number().int().min(1),
  mime: z.enum(['image/jpeg', 'image/png', 'image/webp']),
  width: z.number().int().min(1).max(100_000),
  height: z.number().int().min(1).max(100_000),
  takenAt: isoDateTimeSchema.nullable().default(null),
  lat: latitudeSchema.nullable().default(null),
  lng: longitudeSchema.nullable().default(null),
  caption: text().max(500).default(''),
  isCover: z.boolean().default(false),
  createdAt: isoDateTimeSchema,
  /**
   * The thumbnail (JPEG, ~320 px on the long side, orientation applied) the importing device
   * made, stored as its own content-addressed blob: other users' devices fetch it soon after
   * the record arrives and the original only when the photo is opened. Null on records made
   * before thumbnails were synced, absent on records written before the field existed (both
   * mean: no thumbnail, the photo is fetched full size on demand; optional so that every
   * PhotoMeta built elsewhere stays valid). Access to the thumbnail's bytes is that of the
   * photo; blob garbage collection counts it as a reference.
   */
  thumbSha256: sha256HexSchema.nullish(),
  /**
   * Set when the photo is deleted: the record stays as a tombstone (as notes do, so a late
   * caption edit from another device cannot bring it back); galleries skip it. Its bytes are
   * kept until no live photo refers to them and the server has confirmed them.
   */
  deletedAt: isoDateTimeSchema.nullable().default(null),
});
export type PhotoMeta = z.infer<typeof photoMetaSchema>;

/** Deterministic sheet id: the same (tour, stop, scorer) always gives the same id. */
export function sheetId(tourId: string, stopId: string, scorerId: string): string {
  return `sheet:${tourId}:${stopId}:${scorerId}`;
}

function isRealDate(s: string): boolean {
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** true when `value` is a whole multiple of `step`, tolerant of binary float noise. */
export function isMultipleOf(value: number, step: number): boolean {
  const q = value / step;
  return Math.abs(q - Math.round(q)) < 1e-9;
}
