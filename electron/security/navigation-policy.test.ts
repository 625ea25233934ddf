import { describe, expect, it } from 'vitest';
import { toSafeExternalUrl } from './external-url';
import { decideNavigation, decideWindowOpen } from './navigation-policy';

describe('external links', () => {
  it('accepts plain http(s) links and normalises them', () => {
    expect(toSafeExternalUrl('https://www.gov.cn/zhengce/')).toBe('https://www.gov.cn/zhengce/');
    expect(toSafeExternalUrl('http://example.com')).toBe('http://example.com/');
    expect(toSafeExternalUrl('HTTPS://Example.COM/a?b=1#c')).toBe('https://example.com/a?b=1#c');
    expect(toSafeExternalUrl('https://中国.cn/')).toBe('https://xn--fiqs8s.cn/');
  });

  it('refuses other schemes, credentials and odd input', () => {
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'smb://host/share',
      'ms-msdt:/id PCWDiagnostic',
      'app://guanmo/index.html',
      'mailto:a@b.c',
      'https://user:pass@evil.example/',
      'https://good.example@evil.example/',
      'https://exa mple.com/',
      'https://example.com/\n',
      '//example.com',
      '',
      `https://example.com/${'a'.repeat(3000)}`,
    ]) {
      expect(toSafeExternalUrl(url), url).toBeNull();
    }
    expect(toSafeExternalUrl(undefined)).toBeNull();
    expect(toSafeExternalUrl(42)).toBeNull();
  });
});

describe('navigation policy', () => {
  it('denies every navigation, also within the app', () => {
    for (const url of ['app://guanmo/index.html', 'app://guanmo/#/tours', 'https://evil.example/', 'file:///etc/passwd']) {
      expect(decideNavigation(url).deny, url).toBe(true);
    }
  });

  it('hands http(s) targets to the system browser, drops the rest', () => {
    expect(decideNavigation('https://www.gov.cn/').openExternally).toBe('https://www.gov.cn/');
    expect(decideNavigation('app://guanmo/other').openExternally).toBeNull();
    expect(decideNavigation('file:///etc/passwd').openExternally).toBeNull();
  });

  it('never opens a new window; http(s) goes to the system browser', () => {
    expect(decideWindowOpen('https://map.example/')).toEqual({ deny: true, openExternally: 'https://map.example/' });
    expect(decideWindowOpen('about:blank')).toEqual({ deny: true, openExternally: null });
    expect(decideWindowOpen('app://guanmo/index.html')).toEqual({ deny: true, openExternally: null });
    expect(decideWindowOpen('javascript:alert(1)')).toEqual({ deny: true, openExternally: null });
  });
});
