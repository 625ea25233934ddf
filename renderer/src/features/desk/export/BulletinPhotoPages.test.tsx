// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Note, Stop } from '@shared/domain/schemas';
import { I18nProvider } from '../../../i18n/I18nProvider';
import { BulletinPhotoPages } from './BulletinPhotoPages';
import type { BulletinMedia } from './use-bulletin-data';

afterEach(cleanup);

const stop = (id: string, name: string, extra: Partial<Stop> = {}): Stop => ({
  id,
  tourId: 't',
  unitId: 'u1',
  day: '2018-12-03',
  order: 1,
  name,
  category: '工业',
  totalInvestment: 120000,
  completedInvestment: null,
  startDate: '2018-03-01',
  content: '',
  lat: null,
  lng: null,
  address: '',
  briefer: '',
  ...extra,
});
const note = (stopId: string, kind: Note['kind'], text: string, at: string): Note => ({ id: `${stopId}-${text}`, tourId: 't', stopId, authorId: 'a', kind, text, createdAt: at, updatedAt: at, deletedAt: null });

describe('bulletin photo pages', () => {
  it('gives each project with a photo its page: the 附件 mark once, standing, photo, facts with Chinese dates, notes', () => {
    const media: BulletinMedia = {
      notes: new Map([['s1', [note('s1', 'problem', '进度偏慢', '2018-12-03T03:00:00.000Z'), note('s1', 'highlight', '技术领先', '2018-12-03T02:00:00.000Z')]]]),
      covers: new Map(),
      coverBlobs: new Map(),
      coverQuality: new Map([['s2', 'thumb']]),
      coverDownloading: new Set(),
    };
    render(
      <I18nProvider initialLocale="zh-CN">
        <BulletinPhotoPages
          stops={[stop('s1', '鲁西化工新材料项目'), stop('s2', '莘县智慧物流园', { startDate: null, totalInvestment: null })]}
          unitNames={new Map([['u1', '莘县']])}
          standings={new Map([['s1', '得分86.50，县组第2名（并列）']])}
          coverUrls={new Map([
            ['s1', 'blob:one'],
            ['s2', 'blob:two'],
          ])}
          media={media}
        />
      </I18nProvider>,
    );
    const pages = screen.getAllByTestId('bulletin-project');
    expect(pages).toHaveLength(2);
    expect(pages[0]!.textContent).toMatch(/^附件项目现场照片鲁西化工新材料项目（莘县）得分86.50，县组第2名（并列）/);
    expect(pages[0]!.textContent).toContain('开工时间2018年3月1日');
    expect(pages[0]!.textContent).toContain('总投资120,000万元');
    expect(pages[0]!.textContent).toMatch(/亮点技术领先问题进度偏慢$/);
    expect(pages[0]!.querySelector('img')?.getAttribute('src')).toBe('blob:one');
    expect(pages[1]!.textContent).not.toContain('附件');
    // a thumbnail-only cover is flagged on screen (not printed)
    expect(pages[1]!.querySelector('[data-testid="bulletin-low-res-photo"]')?.className).toContain('no-print');
  });
});
