import { describe, expect, it } from 'vitest';
import { tourDeskTabs } from './TourDeskNav';

describe('the tabs of a tour', () => {
  it('the secretariat: editor, board, rankings, bulletin and unsynced laptops of a scored tour; editor and unsynced laptops of a study tour', () => {
    expect(tourDeskTabs({ kind: 'scored' }, true)).toEqual(['editor', 'board', 'rankings', 'bulletin', 'devices']);
    expect(tourDeskTabs({ kind: 'study' }, true)).toEqual(['editor', 'devices']);
    // a tour not (yet) on this device: the pages say so, the tabs stay
    expect(tourDeskTabs(null, true)).toEqual(['editor', 'board', 'rankings', 'bulletin', 'devices']);
  });

  it('everyone else: rankings and bulletin only, never the desk pages', () => {
    expect(tourDeskTabs({ kind: 'scored' }, false)).toEqual(['rankings', 'bulletin']);
    expect(tourDeskTabs({ kind: 'study' }, false)).toEqual([]);
  });
});
