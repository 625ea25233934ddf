import { describe, expect, it } from 'vitest';
import { CHINA_OUTLINE, isInChina } from './china-outline';

// [name, longitude, latitude] (WGS-84, rounded city-centre or border-post positions)
const inside: [string, number, number][] = [
  ['北京', 116.397, 39.909],
  ['上海', 121.47, 31.23],
  ['聊城', 115.985, 36.457],
  ['南通崇川', 120.879, 32.028],
  ['乌鲁木齐', 87.617, 43.826],
  ['拉萨', 91.117, 29.647],
  ['喀什', 75.99, 39.47],
  ['霍尔果斯', 80.42, 44.21],
  ['阿拉山口', 82.57, 45.17],
  ['阿勒泰', 88.14, 47.85],
  ['二连浩特', 111.98, 43.65],
  ['满洲里', 117.43, 49.6],
  ['漠河', 122.54, 52.97],
  ['黑河', 127.5, 50.24],
  ['抚远', 134.29, 48.36],
  ['绥芬河', 131.15, 44.4],
  ['珲春', 130.37, 42.87],
  ['丹东', 124.38, 40.13],
  ['大连', 121.61, 38.91],
  ['威海', 122.12, 37.51],
  ['舟山', 122.21, 29.99],
  ['台北', 121.56, 25.04],
  ['高雄', 120.3, 22.62],
  ['香港', 114.17, 22.3],
  ['澳门', 113.55, 22.2],
  ['三亚', 109.51, 18.25],
  ['永兴岛', 112.33, 16.83],
  ['东兴', 107.97, 21.55],
  ['河口', 103.94, 22.51],
  ['磨憨', 101.68, 21.18],
  ['瑞丽', 97.85, 24.01],
  ['亚东', 88.93, 27.48],
  ['普兰', 81.18, 30.29],
  ['塔什库尔干', 75.23, 37.77],
  ['同江', 132.51, 47.64],
];

const outside: [string, number, number][] = [
  ['首尔', 126.98, 37.57],
  ['平壤', 125.75, 39.03],
  ['东京', 139.69, 35.69],
  ['符拉迪沃斯托克', 131.89, 43.12],
  ['乌兰巴托', 106.91, 47.92],
  ['乔巴山', 114.5, 48.07],
  ['阿拉木图', 76.9, 43.24],
  ['比什凯克', 74.6, 42.87],
  ['伊斯兰堡', 73.05, 33.68],
  ['列城', 77.58, 34.16],
  ['加德满都', 85.32, 27.71],
  ['廷布', 89.64, 27.47],
  ['甘托克', 88.61, 27.33],
  ['达卡', 90.41, 23.81],
  ['仰光', 96.16, 16.87],
  ['万象', 102.6, 17.97],
  ['河内', 105.85, 21.03],
  ['谅山', 106.76, 21.85],
  ['岘港', 108.2, 16.05],
  ['马尼拉', 120.98, 14.6],
  ['与那国岛', 123.0, 24.45],
  ['济州', 126.53, 33.5],
  // a swapped 聊城 (经度 36.457, 纬度 115.985 would be refused; 经度 36.457 纬度 35.9 is Syria)
  ['叙利亚', 36.46, 35.9],
  ['null island', 0, 0],
];

describe('isInChina', () => {
  it.each(inside)('%s is inside', (_name, lng, lat) => {
    expect(isInChina(lng, lat)).toBe(true);
  });

  it.each(outside)('%s is outside', (_name, lng, lat) => {
    expect(isInChina(lng, lat)).toBe(false);
  });

  it('is a closed ring of plausible vertices', () => {
    expect(CHINA_OUTLINE.length).toBeGreaterThan(50);
    for (const [lng, lat] of CHINA_OUTLINE) {
      expect(lng).toBeGreaterThan(73);
      expect(lng).toBeLessThan(136);
      expect(lat).toBeGreaterThan(15);
      expect(lat).toBeLessThan(54);
    }
  });

  it('refuses what is not a number', () => {
    expect(isInChina(Number.NaN, 36)).toBe(false);
    expect(isInChina(116, Number.POSITIVE_INFINITY)).toBe(false);
  });
});
