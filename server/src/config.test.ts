import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, dbKindOf, defaultRateLimits, describeDatabase, loadConfig, parseRateLimit, parseTrustProxy, serverPackageDir } from './config.js';

describe('loadConfig', () => {
  it('has laptop defaults', () => {
    const config = loadConfig({}, '/srv/guanmo');
    expect(config).toMatchObject({
      dataDir: '/srv/guanmo/data',
      port: 8787,
      host: '127.0.0.1',
      databaseUrl: null,
      adminPassword: null,
      demo: false,
      logLevel: 'info',
    });
    expect(dbKindOf(config)).toBe('sqlite');
  });

  it('finds the renderer build and demo tables relative to the server package, not the working directory', () => {
    const config = loadConfig({}, '/somewhere/else');
    const repo = path.resolve(serverPackageDir, '..');
    expect(fs.existsSync(path.join(serverPackageDir, 'package.json'))).toBe(true);
    expect(config.staticDir).toBe(path.join(repo, 'dist', 'renderer'));
    expect(config.demoDir).toBe(path.join(repo, 'assets', 'demo'));
    expect(fs.existsSync(path.join(config.demoDir, 'demo-tours.json'))).toBe(true);
  });

  it('reads every variable', () => {
    const config = loadConfig(
      {
        GUANMO_DATA_DIR: 'state',
        GUANMO_PORT: '9000',
        GUANMO_HOST: '0.0.0.0',
        DATABASE_URL: 'postgres://guanmo:pw@db.example:5432/guanmo',
        GUANMO_ADMIN_PASSWORD: 'long enough',
        GUANMO_STATIC_DIR: '/opt/web',
        GUANMO_DEMO: 'yes',
        GUANMO_LOG_LEVEL: 'warn',
      },
      '/srv',
    );
    expect(config).toMatchObject({
      dataDir: '/srv/state',
      port: 9000,
      host: '0.0.0.0',
      databaseUrl: 'postgres://guanmo:pw@db.example:5432/guanmo',
      adminPassword: 'long enough',
      staticDir: '/opt/web',
      demo: true,
      logLevel: 'warn',
    });
    expect(dbKindOf(config)).toBe('postgres');
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ GUANMO_PORT: '', DATABASE_URL: ' ', GUANMO_DEMO: '', GUANMO_ADMIN_PASSWORD: '' })).toMatchObject({
      port: 8787,
      databaseUrl: null,
      demo: false,
      adminPassword: null,
    });
  });

  it.each([
    ['1', true],
    ['TRUE', true],
    ['on', true],
    ['0', false],
    ['no', false],
    ['off', false],
  ])('GUANMO_DEMO=%s → %s', (value, expected) => {
    expect(loadConfig({ GUANMO_DEMO: value }).demo).toBe(expected);
  });

  it('accepts an IPv6 host with or without brackets', () => {
    expect(loadConfig({ GUANMO_HOST: '[::1]' }).host).toBe('::1');
    expect(loadConfig({ GUANMO_HOST: '::' }).host).toBe('::');
    expect(() => loadConfig({ GUANMO_HOST: 'http://example.com' })).toThrow(/GUANMO_HOST/);
  });

  it('accepts a PostgreSQL Unix socket URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgresql:///guanmo?host=/var/run/postgresql' }).databaseUrl).toContain('guanmo');
  });

  it('names every bad variable in one clear error', () => {
    let error: unknown;
    try {
      loadConfig({ GUANMO_PORT: '99999', DATABASE_URL: 'mysql://x/y', GUANMO_DEMO: 'maybe', GUANMO_ADMIN_PASSWORD: 'short', GUANMO_LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/GUANMO_PORT: must be a whole number between 0 and 65535/);
    expect(message).toMatch(/DATABASE_URL: must be a PostgreSQL URL/);
    expect(message).toMatch(/GUANMO_DEMO: must be 1\/true/);
    expect(message).toMatch(/GUANMO_ADMIN_PASSWORD: must be at least 8 characters/);
    expect(message).toMatch(/GUANMO_LOG_LEVEL: must be one of/);
    // the bad password itself is not repeated
    expect(message).not.toContain('short');
  });

  it('rejects a non-numeric port', () => {
    expect(() => loadConfig({ GUANMO_PORT: '80a' })).toThrow(/GUANMO_PORT/);
  });

  it('describes the database without its password', () => {
    expect(describeDatabase({ databaseUrl: 'postgres://guanmo:s3cret@db:5432/guanmo', dataDir: '/d' })).toBe(
      'PostgreSQL postgres://guanmo:***@db:5432/guanmo',
    );
    expect(describeDatabase({ databaseUrl: null, dataDir: '/d' })).toBe('SQLite /d/guanmo.sqlite');
  });

  it('has sync rate limits on by default and reads them from the environment', () => {
    expect(loadConfig({}).rateLimits).toEqual(defaultRateLimits);
    expect(defaultRateLimits.push).not.toBeNull();
    expect(defaultRateLimits.pull).not.toBeNull();
    const config = loadConfig({ GUANMO_RATE_LIMIT_PUSH: '30/min', GUANMO_RATE_LIMIT_PULL: '600/min burst 1000', GUANMO_RATE_LIMIT_UNAUTHENTICATED: 'off' });
    expect(config.rateLimits).toEqual({ push: { perMinute: 30, burst: 30 }, pull: { perMinute: 600, burst: 1000 }, unauthenticated: null });
  });

  it('parses rate limits leniently but refuses nonsense', () => {
    expect(parseRateLimit('OFF')).toBeNull();
    expect(parseRateLimit(' 120 / min , burst=240 ')).toEqual({ perMinute: 120, burst: 240 });
    expect(parseRateLimit('0/min')).toBeUndefined();
    expect(parseRateLimit('120/min burst 0')).toBeUndefined();
    expect(parseRateLimit('120/s')).toBeUndefined();
    expect(parseRateLimit('lots')).toBeUndefined();
    expect(() => loadConfig({ GUANMO_RATE_LIMIT_PULL: 'fast' })).toThrow(/GUANMO_RATE_LIMIT_PULL: must be "off", "N\/min"/);
  });

  it('trusts no proxy by default, and proxies by hop count or address when told', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ GUANMO_TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ GUANMO_TRUST_PROXY: ' 127.0.0.1, 10.0.0.0/8 ,::1, fd00::/8, loopback ' }).trustProxy).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
      '::1',
      'fd00::/8',
      'loopback',
    ]);
    expect(parseTrustProxy('off')).toBe(false);
    expect(parseTrustProxy('0')).toBe(false);
    // trusting everyone would let any client choose its own address: not expressible
    for (const bad of ['true', 'yes', '*', '11', '10.0.0.0/33', '10.0.0.300', 'proxy.example.com', '127.0.0.1,', '1.2.3.4/8/1']) {
      expect(parseTrustProxy(bad), bad).toBeUndefined();
    }
    expect(() => loadConfig({ GUANMO_TRUST_PROXY: 'true' })).toThrow(/GUANMO_TRUST_PROXY: must be "off", a number of proxy hops/);
  });
});
