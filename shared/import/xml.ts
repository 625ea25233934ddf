/**
 * A small, strict XML reader for the parts of an .xlsx file. Not a general XML parser: it
 * knows elements, attributes, text, CDATA, comments and processing instructions, and the five
 * predefined entities plus numeric character references.
 *
 * Safety: a DOCTYPE is refused outright (Office never writes one), so there are no custom
 * entities, no entity expansion ("billion laughs") and no external references. Input size is
 * bounded by the caller (the zip reader's limits).
 *
 * Element names are reported without their namespace prefix (`x:row` → `row`), because some
 * generators prefix the SpreadsheetML namespace. Attribute names keep their prefix (`r:id`).
 */
export class XmlError extends Error {
  override readonly name = 'XmlError';
}

export type XmlAttributes = Record<string, string>;

export interface XmlHandler {
  open?(name: string, attrs: XmlAttributes): void;
  close?(name: string): void;
  text?(text: string): void;
}

export function parseXml(xml: string, handler: XmlHandler): void {
  const n = xml.length;
  const stack: string[] = [];
  let i = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
  let sawRoot = false;

  while (i < n) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > i) {
      const raw = xml.slice(i, textEnd);
      if (stack.length > 0) {
        const text = decodeEntities(raw); // also when nobody listens: a bad entity is a broken file
        handler.text?.(text);
      }
      else if (raw.trim() !== '') throw new XmlError('text outside the root element');
    }
    if (lt < 0) break;
    i = lt;
    if (xml.startsWith('<?', i)) {
      i = skipPast(xml, '?>', i);
    } else if (xml.startsWith('<!--', i)) {
      i = skipPast(xml, '-->', i);
    } else if (xml.startsWith('<![CDATA[', i)) {
      if (stack.length === 0) throw new XmlError('CDATA outside the root element');
      const end = xml.indexOf(']]>', i + 9);
      if (end < 0) throw new XmlError('unterminated CDATA section');
      handler.text?.(xml.slice(i + 9, end));
      i = end + 3;
    } else if (xml.startsWith('<!', i)) {
      throw new XmlError('DOCTYPE and other declarations are not allowed');
    } else if (xml.charCodeAt(i + 1) === 0x2f /* / */) {
      const end = xml.indexOf('>', i);
      if (end < 0) throw new XmlError('unterminated end tag');
      const name = xml.slice(i + 2, end).trim();
      const open = stack.pop();
      if (open !== name) throw new XmlError(`end tag </${name}> does not match <${open ?? ''}>`);
      handler.close?.(localName(name));
      i = end + 1;
    } else {
      i = readStartTag(xml, i, stack, handler);
      if (stack.length === 0 && sawRoot) throw new XmlError('more than one root element');
      sawRoot = true;
    }
  }
  if (stack.length > 0) throw new XmlError(`unclosed element <${stack[stack.length - 1]}>`);
  if (!sawRoot) throw new XmlError('no root element');
}

/** A parsed element; `text` is the concatenated text directly inside it. */
export type XmlElement = { name: string; attrs: XmlAttributes; children: XmlElement[]; text: string };

/** The whole document as a tree; for the small parts (workbook, relationships, styles). */
export function parseXmlTree(xml: string): XmlElement {
  const root: XmlElement = { name: '', attrs: {}, children: [], text: '' };
  const path: XmlElement[] = [root];
  parseXml(xml, {
    open(name, attrs) {
      const el: XmlElement = { name, attrs, children: [], text: '' };
      path[path.length - 1]!.children.push(el);
      path.push(el);
    },
    close() {
      path.pop();
    },
    text(t) {
      path[path.length - 1]!.text += t;
    },
  });
  const top = root.children[0];
  if (!top) throw new XmlError('no root element');
  return top;
}

export function childElements(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}

export function firstChild(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}

/** Value of an attribute by local name, whatever its prefix (`r:id`, `rel:id` → `id`). */
export function prefixedAttr(attrs: XmlAttributes, local: string): string | undefined {
  for (const [key, value] of Object.entries(attrs)) {
    const colon = key.indexOf(':');
    if (colon >= 0 && key.slice(colon + 1) === local && key.slice(0, colon) !== 'xmlns') return value;
  }
  return undefined;
}

const NAME_RE = /^[A-Za-z_][\w.\-:]*$/;

function readStartTag(xml: string, start: number, stack: string[], handler: XmlHandler): number {
  let i = start + 1;
  const n = xml.length;
  while (i < n && !isSpace(xml.charCodeAt(i)) && xml[i] !== '>' && xml[i] !== '/') i++;
  const name = xml.slice(start + 1, i);
  if (!NAME_RE.test(name)) throw new XmlError(`bad element name <${name.slice(0, 40)}>`);
  const attrs: XmlAttributes = {};
  for (;;) {
    while (i < n && isSpace(xml.charCodeAt(i))) i++;
    if (i >= n) throw new XmlError(`unterminated start tag <${name}>`);
    const c = xml[i];
    if (c === '>') {
      stack.push(name);
      handler.open?.(localName(name), attrs);
      return i + 1;
    }
    if (c === '/') {
      if (xml[i + 1] !== '>') throw new XmlError(`malformed start tag <${name}>`);
      handler.open?.(localName(name), attrs);
      handler.close?.(localName(name));
      return i + 2;
    }
    const eq = xml.indexOf('=', i);
    if (eq < 0) throw new XmlError(`malformed attribute in <${name}>`);
    const attrName = xml.slice(i, eq).trim();
    if (!NAME_RE.test(attrName)) throw new XmlError(`bad attribute name in <${name}>`);
    let q = eq + 1;
    while (q < n && isSpace(xml.charCodeAt(q))) q++;
    const quote = xml[q];
    if (quote !== '"' && quote !== "'") throw new XmlError(`unquoted attribute ${attrName} in <${name}>`);
    const close = xml.indexOf(quote, q + 1);
    if (close < 0) throw new XmlError(`unterminated attribute ${attrName} in <${name}>`);
    const rawValue = xml.slice(q + 1, close);
    if (rawValue.includes('<')) throw new XmlError(`'<' in attribute ${attrName} of <${name}>`);
    if (Object.prototype.hasOwnProperty.call(attrs, attrName)) throw new XmlError(`duplicate attribute ${attrName} in <${name}>`);
    attrs[attrName] = decodeEntities(rawValue);
    i = close + 1;
  }
}

function skipPast(xml: string, terminator: string, from: number): number {
  const end = xml.indexOf(terminator, from + 2);
  if (end < 0) throw new XmlError(`unterminated ${terminator === '?>' ? 'processing instruction' : 'comment'}`);
  return end + terminator.length;
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeEntities(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&([^;&]{0,10});?/g, (whole, body: string) => {
    if (!whole.endsWith(';')) throw new XmlError(`bare '&' in text: ${JSON.stringify(whole)}`);
    const named = NAMED[body];
    if (named !== undefined) return named;
    const m = /^#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}))$/.exec(body);
    if (!m) throw new XmlError(`unknown entity &${body};`);
    const code = m[1] !== undefined ? parseInt(m[1], 16) : parseInt(m[2]!, 10);
    if (!isXmlChar(code)) throw new XmlError(`character reference &${body}; is not an XML character`);
    return String.fromCodePoint(code);
  });
}

function isXmlChar(c: number): boolean {
  return c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
}
