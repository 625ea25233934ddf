/**
 * Is a coordinate in China? A coarse outline for one purpose only: catching coordinates typed
 * wrong on an itinerary table (a swapped 经度/纬度, a dropped digit, a point in the sea). It is
 * not a boundary of any legal or cartographic standing and must never be drawn.
 *
 * What was used: a hand-drawn polygon of 116 vertices (longitude, latitude, WGS-84) through
 * well-known border and coast points — 漠河, the Amur and Ussuri (黑河, 抚远), 绥芬河, 珲春, the
 * Tumen and Yalu (丹东), the Bohai and Yellow Sea coasts with their islands (长海, 成山头, 嵊泗,
 * 舟山), Taiwan (彭佳屿, 鹅銮鼻), 香港/澳门, Hainan and the Paracels (三沙/永兴岛), the Vietnam
 * border (东兴, 友谊关, 河口), Laos and Myanmar (磨憨, 瑞丽, 贡山), the Himalaya (察隅, 藏南 as
 * China claims it, 亚东, 樟木, 吉隆, 普兰), Aksai Chin, 红其拉甫 (塔什库尔干), 伊尔克什坦, 霍尔果斯, 阿拉山口,
 * the Altai, the Mongolian border (二连浩特) and the Argun (满洲里). Vertices sit a few to ~30 km
 * outside the border where it runs through empty land, closer (≤ 10 km) where a neighbour's town
 * lies near it (谅山, 廷布, 加德满都, 符拉迪沃斯托克, 扎门乌德 are outside; 东兴, 瑞丽, 亚东,
 * 霍尔果斯, 二连浩特 inside — china-outline.test.ts holds that list). The Spratlys are not in it:
 * no tour of key projects goes there, and including them would admit most of the South China Sea.
 *
 * What must stay true: used for warnings only (a point outside is flagged for a person to check,
 * never refused), so the outline errs on the generous side.
 */

/** [longitude, latitude] vertices, clockwise from the northern tip. */
export const CHINA_OUTLINE: readonly (readonly [number, number])[] = [
  // Amur (黑龙江) and Ussuri (乌苏里江)
  [121.5, 53.9],
  [123.5, 53.8],
  [125.8, 53.2],
  [127.9, 50.3],
  [130.2, 49.1],
  [132.5, 48.1],
  [134.9, 48.6],
  [133.9, 47.0],
  [133.2, 45.1],
  [131.5, 44.9],
  [131.4, 44.0],
  [130.9, 42.4],
  // Tumen (图们江) and Yalu (鸭绿江)
  [130.0, 42.2],
  [128.3, 41.3],
  [126.0, 40.8],
  [124.4, 39.7],
  // coast and islands: 长海, 成山头, 苏北, 嵊泗, 舟山, 南麂
  [123.2, 38.6],
  [122.9, 37.0],
  [121.5, 34.5],
  [123.0, 31.5],
  [122.9, 29.5],
  [121.9, 27.5],
  // Taiwan: 彭佳屿, 兰屿, 鹅銮鼻
  [122.3, 25.6],
  [121.9, 21.8],
  [120.5, 21.7],
  // Guangdong, 香港, 澳门, Hainan and the Paracels
  [117.5, 22.8],
  [114.5, 21.8],
  [111.4, 19.6],
  [113.0, 17.2],
  [112.8, 15.6],
  [111.0, 15.6],
  [108.3, 18.3],
  // Gulf of Tonkin (北部湾) to 东兴, then the Vietnam border: 友谊关, 河口
  [108.0, 21.4],
  [106.75, 22.0],
  [106.5, 22.6],
  [105.9, 22.95],
  [105.3, 23.4],
  [104.6, 22.9],
  [103.95, 22.5],
  [103.0, 22.55],
  [102.2, 22.4],
  // Laos: 磨憨; Myanmar: 打洛, 孟连, 沧源, 瑞丽, 腾冲, 片马, 贡山
  [101.7, 21.1],
  [101.1, 21.6],
  [100.2, 21.4],
  [99.3, 22.1],
  [99.4, 22.9],
  [98.9, 23.2],
  [98.5, 23.9],
  [97.6, 23.9],
  [97.5, 24.8],
  [98.0, 25.4],
  [98.6, 26.1],
  [98.7, 27.5],
  [97.6, 28.2],
  // 察隅, 藏南 (as China claims it), Bhutan's northern border, 亚东 (Chumbi), Sikkim
  [97.2, 27.9],
  [95.0, 27.8],
  [93.0, 26.9],
  [92.0, 26.9],
  [91.8, 27.8],
  [90.5, 28.3],
  [89.6, 28.2],
  [89.2, 27.6],
  [88.85, 27.2],
  [88.6, 27.8],
  [88.1, 27.95],
  // Nepal: 樟木, 吉隆, Upper Mustang, 普兰
  [85.9, 27.9],
  [85.2, 28.3],
  [84.4, 28.8],
  [83.9, 29.35],
  [82.0, 30.2],
  [81.2, 30.0],
  // India: 札达, Aksai Chin, the Karakoram pass
  [79.4, 31.0],
  [78.7, 31.8],
  [78.3, 33.5],
  [78.0, 35.5],
  [76.5, 35.9],
  // 红其拉甫, Wakhan, Tajikistan, 伊尔克什坦, Kyrgyzstan (吐尔尕特, 别迭里), 汗腾格里
  [75.4, 36.95],
  [74.8, 37.6],
  [74.8, 38.6],
  [73.6, 39.4],
  [75.2, 40.7],
  [78.4, 41.6],
  [80.2, 42.2],
  // Kazakhstan: 霍尔果斯, 阿拉山口, 巴克图, 吉木乃; the Altai
  [80.9, 43.2],
  [80.3, 44.3],
  [80.8, 45.1],
  [82.4, 45.3],
  [82.3, 46.3],
  [83.0, 47.2],
  [85.5, 47.1],
  [86.9, 49.2],
  // Mongolia: 塔克什肯, 老爷庙, 策克, 甘其毛都, 二连浩特, 珠恩嘎达布其, 阿尔山
  [88.0, 48.6],
  [90.1, 47.9],
  [90.9, 46.6],
  [91.0, 45.4],
  [93.5, 44.9],
  [95.4, 44.3],
  [96.4, 42.7],
  [100.0, 42.6],
  [101.8, 42.5],
  [105.0, 41.6],
  [107.0, 42.4],
  [109.3, 42.5],
  [111.9, 43.8],
  [113.7, 44.9],
  [116.6, 46.4],
  [117.6, 46.7],
  [119.9, 46.8],
  [118.5, 47.95],
  [116.0, 47.7],
  [115.6, 48.2],
  // Russia again: 满洲里, the Argun (额尔古纳河) back to 漠河
  [116.0, 49.9],
  [117.8, 49.6],
  [119.3, 50.4],
  [120.4, 52.3],
  [121.5, 53.4],
];

/** Whether (lng, lat) lies inside the coarse outline (ray casting; a point on an edge may go either way). */
export function isInChina(lng: number, lat: number): boolean {
  if (!Number.isFinite(lng) || !Number.isFinite(lat)) return false;
  let isInside = false;
  const n = CHINA_OUTLINE.length;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const [xi, yi] = CHINA_OUTLINE[i]!;
    const [xj, yj] = CHINA_OUTLINE[j]!;
    if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) isInside = !isInside;
  }
  return isInside;
}
