import { describe, expect, it } from 'vitest';
import { decodeEntities, parseXml, parseXmlTree, prefixedAttr, XmlError } from './xml';

function events(xml: string): string[] {
  const out: string[] = [];
  parseXml(xml, {
    open: (name, attrs) => out.push(`<${name}${Object.entries(attrs).map(([k, v]) => ` ${k}=${v}`).join('')}>`),
    close: (name) => out.push(`</${name}>`),
    text: (t) => out.push(JSON.stringify(t)),
  });
  return out;
}

describe('parseXml', () => {
  it('reports elements, attributes and text, with self-closing tags as open + close', () => {
    expect(events(`<?xml version="1.0"?>\n<a x="1" y='2'><b/>hi<c>there</c></a>\n`)).toEqual([
      '<a x=1 y=2>',
      '<b>',
      '</b>',
      '"hi"',
      '<c>',
      '"there"',
      '</c>',
      '</a>',
    ]);
  });

  it('decodes the predefined entities and character references', () => {
    expect(events('<t a="&lt;&amp;&quot;">&lt;b&gt; &amp; &apos;x&apos; &#35266;&#x6469;</t>')).toEqual(['<t a=<&">', `"<b> & 'x' 观摩"`, '</t>']);
  });

  it('passes CDATA through verbatim and skips comments', () => {
    expect(events('<t><!-- note --><![CDATA[a < b & c]]></t>')).toEqual(['<t>', '"a < b & c"', '</t>']);
  });

  it('strips namespace prefixes from element names but keeps them on attributes', () => {
    expect(events('<x:sheet xmlns:x="urn:x" r:id="rId1"><x:c/></x:sheet>')).toEqual([
      '<sheet xmlns:x=urn:x r:id=rId1>',
      '<c>',
      '</c>',
      '</sheet>',
    ]);
    expect(prefixedAttr({ 'xmlns:r': 'urn', 'r:id': 'rId7' }, 'id')).toBe('rId7');
    expect(prefixedAttr({ id: 'x' }, 'id')).toBeUndefined();
  });

  it('refuses a DOCTYPE (no entity expansion, no external entities)', () => {
    const bomb = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><a>&lol2;</a>';
    expect(() => parseXml(bomb, {})).toThrow(XmlError);
    expect(() => parseXml('<!DOCTYPE a SYSTEM "file:///etc/passwd"><a/>', {})).toThrow(/DOCTYPE/);
  });

  it('refuses malformed documents', () => {
    const bad = [
      '',
      'text',
      '<a>',
      '<a></b>',
      '<a><b></a></b>',
      '<a x=1/>',
      '<a x="1" x="2"/>',
      '<a>&unknown;</a>',
      '<a>& b</a>',
      '<a>&#0;</a>',
      '<a/><b/>',
      '<a><![CDATA[x</a>',
      '<a><!-- x</a>',
      '<1a/>',
      '<a x="<"/>',
    ];
    for (const xml of bad) expect(() => parseXml(xml, {}), xml).toThrow(XmlError);
  });
});

describe('parseXmlTree', () => {
  it('builds a tree with concatenated text', () => {
    const root = parseXmlTree('<r a="1"><s>x<i/>y</s><s/></r>');
    expect(root.name).toBe('r');
    expect(root.attrs).toEqual({ a: '1' });
    expect(root.children.map((c) => c.name)).toEqual(['s', 's']);
    expect(root.children[0]!.text).toBe('xy');
  });
});

describe('decodeEntities', () => {
  it('leaves text without & alone and handles astral characters', () => {
    expect(decodeEntities('plain')).toBe('plain');
    expect(decodeEntities('&#x20BB7;')).toBe('𠮷');
  });
});
