/**
 * A hand-worked tour for the desk's tests (tables, workbook, bulletin). Every figure below is
 * worked out by hand; the tests check the desk maps the engine's results to these rows.
 *
 * Criteria a (max 60, step 0.5), b (max 40, step 0.5). Trim 1 highest + 1 lowest from 4 sheets,
 * recusal on, ranking within groups. U1, U2 in 县组; U3 in 区组. s1 comes from U1.
 *
 *            s1            s2            s3            s4            s5           counted          score
 * P1/U1 县组 60+40 (回避)   50+30=80      52+33=85      48+30=78 低   55+35=90 高   80, 85           82.50  a 51.00 b 31.50
 * P2/U2 县组 50+30=80 低   52+33=85 高   50+32.5=82.5  52.5+30=82.5  draft        82.5, 82.5       82.50  a 51.25 b 31.25
 * P3/U3 区组 40+30=70      45+30=75      44+31=75      46+32=78 高   30+20=50 低   70, 75, 75       73.33  a 43.00 b 30.33
 * P4/U3 区组 50+35=85      48+34=82      47+33=80      —             —            3 < 4: no trim   82.33  a 48.33 b 34.00
 *
 * Lists in tour order: 县组 (its P1 is visited first) before 区组 — although by code point 区
 * (U+533A) would come before 县 (U+53BF).
 * 县组: P1 82.50 #1, P2 82.50 #1 (tie); U1 82.50 #1, U2 82.50 #1 (tie).
 * 区组: P4 82.33 #1, P3 73.33 #2; unit U3 = (220/3 + 247/3)/2 = 467/6 = 77.83 #1.
 * Projects over the whole tour: P1 82.50 #1, P2 82.50 #1 (tie), P4 82.33 #3, P3 73.33 #4.
 * Units over the whole tour: U1 82.50 #1, U2 82.50 #1 (tie), U3 77.83 #3.
 * s5's deviation: P1 90 − (80+85+78)/3 = +9; P3 50 − (70+75+75+78)/4 = −24.5 → −7.75 (≥ 5: flagged, harsh).
 */
import { TourBuilder } from '@shared/ranking/tour-builder';

export function handWorkedTour() {
  const t = new TourBuilder(
    [
      ['a', 60, 0.5],
      ['b', 40, 0.5],
    ],
    { recusal: true, trim: { dropHighest: 1, dropLowest: 1, minSheets: 4 }, projectScope: 'group', unitScope: 'group' },
  );
  t.unit('U1', { group: '县组' }).unit('U2', { group: '县组' }).unit('U3', { group: '区组' });
  t.stop('P1', 'U1').stop('P2', 'U2').stop('P3', 'U3').stop('P4', 'U3');
  t.scorer('s1', { home: 'U1' }).scorer('s2').scorer('s3').scorer('s4').scorer('s5');
  t.sheet('P1', 's1', [60, 40]).sheet('P1', 's2', [50, 30]).sheet('P1', 's3', [52, 33]).sheet('P1', 's4', [48, 30]).sheet('P1', 's5', [55, 35]);
  t.sheet('P2', 's1', [50, 30]).sheet('P2', 's2', [52, 33]).sheet('P2', 's3', [50, 32.5]).sheet('P2', 's4', [52.5, 30]).sheet('P2', 's5', [40, null], 'draft');
  t.sheet('P3', 's1', [40, 30]).sheet('P3', 's2', [45, 30]).sheet('P3', 's3', [44, 31]).sheet('P3', 's4', [46, 32]).sheet('P3', 's5', [30, 20]);
  t.sheet('P4', 's1', [50, 35]).sheet('P4', 's2', [48, 34]).sheet('P4', 's3', [47, 33]);
  return t.input();
}
