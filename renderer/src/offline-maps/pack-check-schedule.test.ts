import { describe, expect, it } from 'vitest';
import { isPackCheckDue, PACK_CHECK_EVERY_MS, tourKeyOf } from './pack-check-schedule';

describe('when the app asks about its packs', () => {
  const key = tourKeyOf(['tour-b', 'tour-a']);

  it('checks at the first successful round', () => {
    expect(isPackCheckDue(null, 1_000, key)).toBe(true);
  });

  it('does not check again at every round (one per saved score) while the tours are the same', () => {
    expect(isPackCheckDue({ at: 1_000, tourKey: key }, 1_000 + 5_000, key)).toBe(false);
    expect(isPackCheckDue({ at: 1_000, tourKey: key }, 1_000 + PACK_CHECK_EVERY_MS - 1, key)).toBe(false);
  });

  it('checks again once the interval has passed', () => {
    expect(isPackCheckDue({ at: 1_000, tourKey: key }, 1_000 + PACK_CHECK_EVERY_MS, key)).toBe(true);
  });

  it('checks at once when a tour arrives on or leaves the device', () => {
    expect(isPackCheckDue({ at: 1_000, tourKey: key }, 2_000, tourKeyOf(['tour-a', 'tour-b', 'tour-c']))).toBe(true);
    expect(isPackCheckDue({ at: 1_000, tourKey: key }, 2_000, tourKeyOf(['tour-a']))).toBe(true);
  });

  it('keys the tours by id whatever order the database lists them in', () => {
    expect(tourKeyOf(['tour-a', 'tour-b'])).toBe(key);
  });
});
