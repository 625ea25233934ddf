/**
 * Stop pins: a round marker with the stop's number in its day (as on the itinerary), in its day's
 * colour, with the user's state of it as a small badge (✓ scored, ✎ draft, — recused). Built as
 * DOM elements with classes (map.css): the renderer's CSP allows no inline style attributes.
 */
import * as L from 'leaflet';
import type { StopSheetState } from '../../db/sheets-repo';

/** Day colours (map.css .map-day-0 … 7), in itinerary day order; repeated after eight days. */
export const DAY_COLOURS = 8;

export type PinState = 'toScore' | 'draft' | 'scored' | 'recused' | 'none';

export function pinStateOf(sheet: StopSheetState | undefined): PinState {
  switch (sheet) {
    case 'todo':
      return 'toScore';
    case 'draft':
    case 'reopened':
      return 'draft';
    case 'submitted':
      return 'scored';
    case 'recused':
      return 'recused';
    default:
      return 'none';
  }
}

const badgeText: Record<PinState, string | null> = { toScore: null, draft: '✎', scored: '✓', recused: '—', none: null };

export interface PinLook {
  label: string;
  /** 0 for the tour's first day with stops; null: neutral (a single stop, a photo, a pin being placed) */
  dayIndex: number | null;
  state?: PinState;
  isNext?: boolean;
  isFlagged?: boolean;
  isDimmed?: boolean;
  size?: 'normal' | 'small';
}

export function pinIcon(look: PinLook): L.DivIcon {
  const state = look.state ?? 'none';
  const pin = document.createElement('span');
  pin.className = [
    'map-pin',
    look.dayIndex === null ? 'map-pin--neutral' : `map-day-${look.dayIndex % DAY_COLOURS}`,
    `map-pin--${state}`,
    look.isNext ? 'map-pin--next' : '',
    look.isFlagged ? 'map-pin--flagged' : '',
    look.isDimmed ? 'map-pin--dimmed' : '',
    look.size === 'small' ? 'map-pin--small' : '',
  ]
    .filter(Boolean)
    .join(' ');
  pin.dataset.state = state;
  const label = document.createElement('span');
  label.className = 'map-pin__label';
  label.textContent = look.label;
  pin.append(label);
  const badge = look.isFlagged ? '!' : badgeText[state];
  if (badge) {
    const b = document.createElement('span');
    b.className = `map-pin__badge${look.isFlagged ? ' map-pin__badge--flagged' : ''}`;
    b.textContent = badge;
    pin.append(b);
  }
  const px = look.size === 'small' ? 22 : 30;
  return L.divIcon({ html: pin, className: 'map-pin-icon', iconSize: [px, px], iconAnchor: [px / 2, px / 2], tooltipAnchor: [0, -px / 2] });
}

/** A photo's position: a small camera dot. */
export function photoIcon(): L.DivIcon {
  const dot = document.createElement('span');
  dot.className = 'map-photo';
  dot.textContent = '📷';
  return L.divIcon({ html: dot, className: 'map-pin-icon', iconSize: [24, 24], iconAnchor: [12, 12], tooltipAnchor: [0, -12] });
}
