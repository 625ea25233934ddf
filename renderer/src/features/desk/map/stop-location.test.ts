import { describe, expect, it } from 'vitest';
import { convertPoint } from '@shared/maps/coords';
import { isSamePoint, locationFields, parseLocationFields } from './stop-location';

// 聊城 东昌府区 (WGS-84) and the same place as 高德 (GCJ-02) and 百度 (BD-09) show it
const wgs = { lng: 115.985, lat: 36.457 };

describe('stop location fields', () => {
  it('shows a stored WGS-84 point in the chosen system, six decimals without trailing zeros', () => {
    expect(locationFields(wgs, 'wgs84')).toEqual({ lng: '115.985', lat: '36.457' });
    const gcj = convertPoint(wgs, 'wgs84', 'gcj02');
    expect(locationFields(wgs, 'gcj02')).toEqual({ lng: String(Number(gcj.lng.toFixed(6))), lat: String(Number(gcj.lat.toFixed(6))) });
    expect(locationFields({ lat: null, lng: null }, 'gcj02')).toEqual({ lng: '', lat: '' });
  });

  it('reads typed fields in their system back as WGS-84 within centimetres', () => {
    for (const system of ['wgs84', 'gcj02', 'bd09'] as const) {
      const shown = locationFields(wgs, system);
      const parsed = parseLocationFields(shown.lng, shown.lat, system);
      if (!parsed.ok || !parsed.point) throw new Error(`${system}: not parsed`);
      // six shown decimals (≈ 0.1 m) and the round trip through gcoord
      expect(Math.abs(parsed.point.lng - wgs.lng)).toBeLessThan(2e-6);
      expect(Math.abs(parsed.point.lat - wgs.lat)).toBeLessThan(2e-6);
      expect(parsed.isInChina).toBe(true);
    }
  });

  it('a GCJ-02 value read as WGS-84 lands hundreds of metres off (why the system is asked)', () => {
    const gcj = convertPoint(wgs, 'wgs84', 'gcj02');
    const misread = parseLocationFields(String(gcj.lng), String(gcj.lat), 'wgs84');
    if (!misread.ok || !misread.point) throw new Error('not parsed');
    expect(Math.abs(misread.point.lng - wgs.lng)).toBeGreaterThan(0.003);
  });

  it('accepts what a Chinese input method types: full-width digits, 。 and a trailing °', () => {
    expect(parseLocationFields('１１５。９８５°', ' 36.457 ', 'wgs84')).toEqual({ ok: true, point: { lng: 115.985, lat: 36.457 }, isInChina: true });
  });

  it('both fields empty clear the location; anything not a coordinate names the field', () => {
    expect(parseLocationFields('', '  ', 'wgs84')).toEqual({ ok: true, point: null });
    expect(parseLocationFields('115.985', '', 'wgs84')).toEqual({ ok: false, field: 'lat' });
    expect(parseLocationFields('东经115', '36.4', 'wgs84')).toEqual({ ok: false, field: 'lng' });
    expect(parseLocationFields('200', '36.4', 'wgs84')).toEqual({ ok: false, field: 'lng' });
    expect(parseLocationFields('115.9', '95', 'wgs84')).toEqual({ ok: false, field: 'lat' });
    expect(parseLocationFields('x', 'y', 'wgs84')).toEqual({ ok: false, field: 'both' });
    expect(parseLocationFields('1e2', '36', 'wgs84')).toEqual({ ok: false, field: 'lng' });
  });

  it('flags a point outside China (a swapped pair) without refusing it', () => {
    expect(parseLocationFields('36.457', '80.5', 'wgs84')).toMatchObject({ ok: true, isInChina: false });
  });

  it('compares stored points to the stored precision', () => {
    expect(isSamePoint(wgs, { lng: 115.98500001, lat: 36.457 })).toBe(true);
    expect(isSamePoint(wgs, { lng: 115.9851, lat: 36.457 })).toBe(false);
    expect(isSamePoint({ lat: null, lng: null }, { lat: null, lng: null })).toBe(true);
    expect(isSamePoint(wgs, { lat: null, lng: null })).toBe(false);
  });
});
