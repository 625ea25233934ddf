import { useId } from 'react';
import { coordSystemSchema, type TourCoordSystem } from '@shared/domain/schemas';
import type { MessageKey } from '../../../i18n/catalogs';
import { useT } from '../../../i18n/use-t';

export const coordSystemLabel: Record<TourCoordSystem, MessageKey> = {
  wgs84: 'deskMap.coordSystem.wgs84',
  gcj02: 'deskMap.coordSystem.gcj02',
  bd09: 'deskMap.coordSystem.bd09',
};

export const coordSystemShort: Record<TourCoordSystem, MessageKey> = {
  wgs84: 'deskMap.coordSystem.short.wgs84',
  gcj02: 'deskMap.coordSystem.short.gcj02',
  bd09: 'deskMap.coordSystem.short.bd09',
};

/** A choice of WGS-84 / GCJ-02 / BD-09, each named with the map apps that use it. */
export function CoordSystemSelect({ label, value, onChange, hint, testId }: { label: string; value: TourCoordSystem; onChange: (system: TourCoordSystem) => void; hint?: string; testId?: string }) {
  const t = useT();
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div className="desk-field desk-coords__system">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} aria-describedby={hint ? hintId : undefined} data-testid={testId} onChange={(e) => onChange(coordSystemSchema.parse(e.currentTarget.value))}>
        {coordSystemSchema.options.map((system) => (
          <option key={system} value={system}>
            {t(coordSystemLabel[system])}
          </option>
        ))}
      </select>
      {hint && (
        <span className="muted desk-field__hint" id={hintId}>
          {hint}
        </span>
      )}
    </div>
  );
}
