import { useId, useState, type ReactNode } from 'react';
import type { MapSource } from '@shared/maps/pack-protocol';
import { formatBytes, formatDateTime } from '../../../i18n/format';
import { useI18n } from '../../../i18n/use-t';
import type { Stop } from '../../../db/entities';
import { implausibleStops, inLanguage, packPanelView, type BuildView } from './pack-panel-state';
import { useTilePack, type BuildRefusal } from './use-tile-pack';
import './desk-map.css';

/**
 * The tour's offline map pack on the desk (issue 13): which source, the build button, the
 * build's live progress, the finished pack, and why nothing can be built — in the user's
 * language, with what the administrator can do when the server has no source for packs.
 */
export function TilePackPanel({ tourId, stops }: { tourId: string; stops: readonly Stop[] }) {
  const { t, locale } = useI18n();
  const titleId = useId();
  const { state, build, isStarting } = useTilePack(tourId);
  const [chosen, setChosen] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<BuildRefusal | null>(null);
  const suspicious = implausibleStops(stops);
  const names = suspicious.map((s) => (locale === 'zh-CN' ? `「${s.name}」` : `“${s.name}”`)).join(t('common.listSeparator'));

  let body: ReactNode;
  if (state.status === 'loading') body = <p className="muted" role="status">{t('deskMap.pack.loading')}</p>;
  else if (state.status === 'offline') body = <p className="notice notice--info">{t('deskMap.pack.offline')}</p>;
  else if (state.status === 'notOnServer') body = <p className="notice notice--info">{t('deskMap.pack.notOnServer')}</p>;
  else if (state.status === 'signedOut') body = <p className="notice notice--info">{t('deskMap.pack.signedOut')}</p>;
  else if (state.status === 'error') {
    body = (
      <p className="notice notice--error" role="alert">
        {t('deskMap.pack.queryFailed', { reason: inLanguage(locale, state.messageZh, state.message) ?? '' })}
      </p>
    );
  } else {
    const view = packPanelView(state.sources, state.pack);
    const sourceName = (id: string) => state.sources.sources.find((s) => s.id === id)?.name ?? id;
    const current = view.pack ? (
      <p data-testid="tile-pack-current">
        {t('deskMap.pack.current', {
          source: sourceName(view.pack.sourceId),
          tiles: view.pack.tileCount,
          size: formatBytes(view.pack.size, locale),
          minZoom: view.pack.minZoom,
          maxZoom: view.pack.maxZoom,
          time: formatDateTime(view.pack.builtAt, locale),
        })}
      </p>
    ) : (
      <p className="muted">{t('deskMap.pack.none')}</p>
    );
    if (view.kind === 'noPackSource') {
      body = (
        <>
          {current}
          <div className="notice notice--warning" data-testid="tile-pack-no-source">
            {view.hasOnlyRefused && <p>{t('deskMap.pack.onlyRefused')}</p>}
            <p>{t('deskMap.pack.noSource', { keyExample: '${TIANDITU_KEY}', tourId })}</p>
          </div>
        </>
      );
    } else {
      const sourceId = chosen && view.sources.some((s) => s.id === chosen) ? chosen : view.defaultSourceId;
      const isRunning = view.build?.kind === 'running';
      body = (
        <>
          {current}
          {suspicious.length > 0 && (
            <p className="notice notice--warning" data-testid="tile-pack-suspicious">
              {t('deskMap.pack.suspicious', { count: suspicious.length, names })}
            </p>
          )}
          <div className="desk-pack__controls">
            <SourceChoice sources={view.sources} value={sourceId} onChange={setChosen} />
            <button
              type="button"
              className="button button--primary"
              disabled={isRunning || isStarting}
              onClick={() => {
                if (suspicious.length > 0 && !window.confirm(t('deskMap.pack.confirmSuspicious', { count: suspicious.length, names }))) return;
                setRefusal(null);
                void build(sourceId).then(setRefusal);
              }}
            >
              {isStarting ? t('deskMap.pack.starting') : view.pack || view.build?.kind === 'failed' ? t('deskMap.pack.rebuild') : t('deskMap.pack.build')}
            </button>
          </div>
          {refusal && (
            <p className="notice notice--error" role="alert" data-testid="tile-pack-refused">
              {t('deskMap.pack.refused', { reason: inLanguage(locale, refusal.messageZh, refusal.message) ?? t('deskMap.pack.unknownReason') })}
            </p>
          )}
          {view.build && <BuildProgress build={view.build} pack={view.pack} />}
        </>
      );
    }
  }

  return (
    <section className="panel desk-pack" aria-labelledby={titleId} data-testid="tile-pack-panel">
      <h2 className="panel__title" id={titleId}>
        {t('deskMap.pack.title')}
      </h2>
      <p className="muted">{t('deskMap.pack.intro')}</p>
      {body}
    </section>
  );
}

function SourceChoice({ sources, value, onChange }: { sources: readonly MapSource[]; value: string; onChange: (id: string) => void }) {
  const { t } = useI18n();
  const id = useId();
  if (sources.length === 1) {
    return (
      <span className="desk-pack__source">
        {t('deskMap.pack.source')}：{sources[0]!.name}
      </span>
    );
  }
  return (
    <span className="desk-pack__source">
      <label htmlFor={id}>{t('deskMap.pack.source')}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        {sources.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
    </span>
  );
}

function BuildProgress({ build, pack }: { build: BuildView; pack: { size: number; tileCount: number } | null }) {
  const { t, locale } = useI18n();
  switch (build.kind) {
    case 'running':
      return (
        <div className="desk-pack__progress" role="status" data-testid="tile-pack-progress" data-state="running">
          <progress max={Math.max(1, build.total)} value={build.done} aria-label={t('deskMap.pack.progressLabel')} />
          <span>{build.total === 0 ? t('deskMap.pack.queued') : t('deskMap.pack.running', { done: build.done, total: build.total, percent: build.percent })}</span>
        </div>
      );
    case 'done':
      return (
        <p className="notice notice--success" role="status" data-testid="tile-pack-progress" data-state="done">
          {t('deskMap.pack.done', { tiles: pack?.tileCount ?? build.total, size: pack ? formatBytes(pack.size, locale) : '—' })}
        </p>
      );
    case 'failed':
      return (
        <p className="notice notice--error" role="alert" data-testid="tile-pack-progress" data-state="failed">
          {t('deskMap.pack.failed', { done: build.done, total: build.total, reason: inLanguage(locale, build.error, build.errorEn) ?? t('deskMap.pack.unknownReason') })}
        </p>
      );
  }
}
