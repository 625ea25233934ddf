import { describe, expect, it } from 'vitest';
import { isPlainHttpOnPublicAddress, serverAddressKind } from './server-address';

describe('serverAddressKind', () => {
  it.each([
    ['https://guanmo.example.cn', 'https'],
    ['https://203.0.113.7:8443', 'https'],
    ['http://127.0.0.1:8787', 'loopback'],
    ['http://localhost:8787', 'loopback'],
    ['http://[::1]:8787', 'loopback'],
    ['http://10.1.2.3', 'private'],
    ['http://172.16.0.9:8787', 'private'],
    ['http://172.31.255.1', 'private'],
    ['http://192.168.43.1:8787', 'private'],
    ['http://169.254.10.2', 'private'],
    ['http://100.72.0.5', 'private'],
    ['http://[fd12:3456::1]:8787', 'private'],
    ['http://[fe80::1]', 'private'],
    ['http://guanmo-server:8787', 'private'],
    ['http://guanmo.local', 'private'],
    ['http://server.lan:8787', 'private'],
    ['http://172.32.0.1', 'public-http'],
    ['http://203.0.113.7:8787', 'public-http'],
    ['http://guanmo.example.cn', 'public-http'],
    ['http://[2001:db8::1]', 'public-http'],
    ['http://[::ffff:203.0.113.7]', 'public-http'],
    ['http://user:pw@8.8.8.8/', 'public-http'],
  ] as const)('%s → %s', (url, kind) => {
    expect(serverAddressKind(url)).toBe(kind);
    expect(isPlainHttpOnPublicAddress(url)).toBe(kind === 'public-http');
  });

  it('is null for what is no http(s) address', () => {
    for (const url of ['ftp://a.cn', 'guanmo.example.cn', '', 'http://']) expect(serverAddressKind(url), url).toBeNull();
  });
});
