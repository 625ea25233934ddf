/**
 * A laptop's side of the sync protocol for tests: its own HLC clock, mutations built like the
 * desktop app's outbox, push and pull through the real HTTP routes (app.inject).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { defaultRankingRules, sheetId, type Scorer, type ScoreSheet, type Stop, type Template, type Tour, type Unit } from '@shared/domain/schemas';
import type { RecordCollection } from '@shared/sync/collections';
import { formatHlc, HlcClock } from '@shared/sync/hlc';
import type { Mutation, PulledRecord, PullResponse, PushResponse } from '@shared/sync/protocol';

export class SyncClient {
  readonly clock: HlcClock;
  cursor: string | undefined;
  /** everything pulled so far, latest state per record */
  readonly seen = new Map<string, PulledRecord>();

  constructor(
    private readonly app: FastifyInstance,
    readonly token: string,
    readonly clientId = `laptop-${randomUUID().slice(0, 8)}`,
    /** the laptop's wall clock; tests move it */
    public now: () => number = () => Date.now(),
  ) {
    this.clock = new HlcClock(clientId);
  }

  get headers() {
    return { authorization: `Bearer ${this.token}` };
  }

  mutation(collection: RecordCollection, tourId: string, record: { id: string } & Record<string, unknown>, op: 'upsert' | 'delete' = 'upsert'): Mutation {
    return {
      id: randomUUID(),
      collection,
      recordId: record.id,
      tourId,
      op,
      fields: op === 'delete' ? {} : { ...record },
      hlc: formatHlc(this.clock.send(this.now())),
    };
  }

  /** a mutation changing only some fields of a record */
  change(collection: RecordCollection, tourId: string, recordId: string, fields: Record<string, unknown>): Mutation {
    return { id: randomUUID(), collection, recordId, tourId, op: 'upsert', fields, hlc: formatHlc(this.clock.send(this.now())) };
  }

  async pushRaw(mutations: readonly Mutation[]) {
    return this.app.inject({ method: 'POST', url: '/api/sync/push', headers: this.headers, payload: { clientId: this.clientId, mutations } });
  }

  async push(mutations: readonly Mutation[]): Promise<PushResponse> {
    const response = await this.pushRaw(mutations);
    if (response.statusCode !== 200) throw new Error(`push failed: ${response.statusCode} ${response.body}`);
    return response.json() as PushResponse;
  }

  /** pushes and expects every mutation applied */
  async pushOk(mutations: readonly Mutation[]): Promise<PushResponse> {
    const response = await this.push(mutations);
    const bad = response.results.filter((r) => r.status !== 'applied');
    if (bad.length > 0) throw new Error(`not applied: ${JSON.stringify(bad)}`);
    return response;
  }

  async pullPage(limit = 100): Promise<PullResponse> {
    const query = new URLSearchParams({ limit: String(limit), ...(this.cursor ? { cursor: this.cursor } : {}) });
    const response = await this.app.inject({ method: 'GET', url: `/api/sync/pull?${query}`, headers: this.headers });
    if (response.statusCode !== 200) throw new Error(`pull failed: ${response.statusCode} ${response.body}`);
    return response.json() as PullResponse;
  }

  /** pulls until up to date; returns the records received now (latest state each) */
  async pullAll(limit = 100): Promise<PulledRecord[]> {
    const received = new Map<string, PulledRecord>();
    for (;;) {
      const page = await this.pullPage(limit);
      for (const change of page.changes) {
        received.set(`${change.collection}/${change.id}`, change);
        this.seen.set(`${change.collection}/${change.id}`, change);
      }
      this.cursor = page.cursor;
      if (!page.hasMore) return [...received.values()];
    }
  }

  seenIds(collection: RecordCollection): string[] {
    return [...this.seen.values()]
      .filter((r) => r.collection === collection && !r.deleted)
      .map((r) => r.id)
      .sort();
  }
}

// ---------------------------------------------------------------------------------------------
// A small scored tour, as the secretariat would build it through push.

export const testTemplate: Template = {
  id: 'tpl-1',
  name: '观摩评议表',
  criteria: [
    { key: 'progress', name: '项目进度', max: 40, step: 0.5, guidance: '' },
    { key: 'quality', name: '建设质量', max: 30, step: 0.5, guidance: '' },
    { key: 'benefit', name: '综合效益', max: 30, step: 1, guidance: '' },
  ],
};

export interface TestTour {
  tour: Tour;
  units: Unit[];
  stops: Stop[];
  scorers: Scorer[];
}

/** A tour with two units (u1, u2), two stops each, and the given participants. */
export function buildTestTour(
  tourId: string,
  participants: Array<{ userId: string; name: string; role?: 'scorer' | 'observer'; homeUnit?: 'u1' | 'u2'; weightGroup?: string }>,
  status: Tour['status'] = 'scoring',
): TestTour {
  const tour: Tour = {
    id: tourId,
    name: `观摩 ${tourId}`,
    kind: 'scored',
    startDate: '2021-12-08',
    endDate: '2021-12-09',
    status,
    template: testTemplate,
    rules: { ...defaultRankingRules, trim: null },
  };
  const units: Unit[] = ['u1', 'u2'].map((u, i) => ({
    id: `${tourId}-${u}`,
    tourId,
    name: i === 0 ? '港闸开发区' : '文峰街道',
    group: null,
    indicatorScore: null,
  }));
  const stops: Stop[] = [1, 2, 3, 4].map((n) => ({
    id: `${tourId}-s${n}`,
    tourId,
    unitId: units[n <= 2 ? 0 : 1]!.id,
    day: '2021-12-08',
    order: n,
    name: `项目${n}`,
    category: '工业',
    totalInvestment: 10000 * n,
    completedInvestment: 5000 * n,
    startDate: null,
    content: '',
    lat: null,
    lng: null,
    address: '',
    briefer: '',
  }));
  const scorers: Scorer[] = participants.map((p, i) => ({
    id: `${tourId}-p${i + 1}`,
    tourId,
    userId: p.userId,
    name: p.name,
    role: p.role ?? 'scorer',
    homeUnitId: p.homeUnit ? `${tourId}-${p.homeUnit}` : null,
    weightGroup: p.weightGroup ?? null,
  }));
  return { tour, units, stops, scorers };
}

/** The mutations that create the tour, in dependency order. */
export function tourMutations(client: SyncClient, t: TestTour): Mutation[] {
  const id = t.tour.id;
  return [
    client.mutation('tours', id, t.tour),
    ...t.units.map((u) => client.mutation('units', id, u)),
    ...t.stops.map((s) => client.mutation('stops', id, s)),
    ...t.scorers.map((s) => client.mutation('scorers', id, s)),
  ];
}

export function buildSheet(tourId: string, stopId: string, scorerId: string, scores: Record<string, number | null>, status: ScoreSheet['status'] = 'draft'): ScoreSheet {
  const at = new Date().toISOString();
  return {
    id: sheetId(tourId, stopId, scorerId),
    tourId,
    stopId,
    scorerId,
    scores,
    status,
    comment: '',
    submittedAt: status === 'submitted' ? at : null,
    updatedAt: at,
  };
}
