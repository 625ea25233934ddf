/**
 * One term per concept (glossary.ts): every catalog value, in both languages, and the texts of
 * the Chinese-only outputs (workbook, bulletin, the server's and the importers' messages) are
 * free of retired synonyms. A failure names the message key or file:line and the term to use.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { rulesStatement, scopeWords } from '../features/desk/export/rules-statement';
import { catalogs, createTranslator, type MessageKey } from './catalogs';
import { describeFinding, findRetired, findRetiredInCatalog, GLOSSARY, type GlossaryLanguage, type RetiredFinding } from './glossary';
import { en } from './messages/en';
import { zhCN } from './messages/zh-CN';

const repoDir = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * Outputs written in Chinese whatever the app's language: every text in their source is a
 * document's text (comments are not read).
 */
const CHINESE_DOCUMENTS = [
  'renderer/src/features/desk/export/build-workbook.ts',
  'renderer/src/features/desk/export/workbook-sheet.ts',
  'renderer/src/features/desk/export/rules-statement.ts',
  'renderer/src/features/desk/export/rules-sentence.ts',
  'renderer/src/features/desk/export/bulletin-document.ts',
  'renderer/src/features/desk/export/BulletinDocument.tsx',
  'renderer/src/features/desk/export/BulletinPhotoPages.tsx',
  'renderer/src/features/desk/prepare/scorers/scorer-list-files.ts',
];

/**
 * Messages with a Chinese and an English text (`{ zh, en }`, `message` / `messageEn`): the
 * importers' issues (shared/import) and the server's messages shown to users. Column headers the
 * importers recognise (`label`, `aliases`) are the secretariat's spreadsheet words, not ours.
 */
const BILINGUAL_MESSAGE_DIRS = ['shared/import', 'server/src'];
const SPREADSHEET_WORDS = new Set(['label', 'aliases']);

interface SourceText {
  text: string;
  line: number;
  language: GlossaryLanguage;
}

/**
 * The texts of a TypeScript source: string and template literals (a template's parts joined by
 * “…”) and JSX text, each with the language it is written in. `mode` 'document': all Chinese;
 * 'messages': `zh` / `message` Chinese, `en` / `messageEn` English, other literals Chinese only
 * when they hold Chinese characters, spreadsheet header words skipped.
 */
function sourceTexts(fileName: string, source: string, mode: 'document' | 'messages'): SourceText[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, fileName.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const texts: SourceText[] = [];
  const properties = (node: ts.Node): string[] => {
    const names: string[] = [];
    for (let n: ts.Node | undefined = node.parent; n; n = n.parent) if (ts.isPropertyAssignment(n)) names.push(n.name.getText(file));
    return names;
  };
  const add = (node: ts.Node, text: string) => {
    if (text.trim() === '') return;
    const line = file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
    if (mode === 'document') return void texts.push({ text, line, language: 'zh' });
    const names = properties(node);
    if (names.some((n) => SPREADSHEET_WORDS.has(n))) return;
    const nearest = names[0];
    if (nearest === 'en' || nearest === 'messageEn') texts.push({ text, line, language: 'en' });
    else if (nearest === 'zh' || nearest === 'message' || /\p{Script=Han}/u.test(text)) texts.push({ text, line, language: 'zh' });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) add(node, node.text);
    else if (ts.isTemplateExpression(node)) add(node, [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join('…'));
    else if (ts.isJsxText(node)) add(node, node.text);
    // import paths and a template's inner literals are not texts (the template is read whole)
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node) || ts.isTemplateExpression(node)) return;
    ts.forEachChild(node, visit);
  };
  visit(file);
  return texts;
}

function sourceFindings(relativePath: string, source: string, mode: 'document' | 'messages'): RetiredFinding[] {
  return sourceTexts(relativePath, source, mode).flatMap((t) => findRetired(t.text, t.language, `${relativePath}:${t.line}`));
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(path.join(repoDir, dir), { withFileTypes: true, recursive: true }).flatMap((entry) => {
    const relative = path.relative(repoDir, path.join(entry.parentPath, entry.name));
    if (!entry.isFile() || !/\.tsx?$/.test(entry.name) || /\.(test|bench)\.tsx?$/.test(entry.name) || relative.includes('test-support')) return [];
    return [relative];
  });
}

const report = (findings: RetiredFinding[]) => findings.map(describeFinding).join('\n');

describe('the glossary', () => {
  it('gives every concept one term in each language, and never retires a term in use', () => {
    for (const language of ['zh', 'en'] as const) {
      const terms = GLOSSARY.map((e) => e[language]);
      expect(new Set(terms).size, `${language}: a term names two concepts`).toBe(terms.length);
      // a term must not itself be caught as a retired synonym (of its own or another concept)
      const caught = GLOSSARY.flatMap((e) => findRetired(e[language], language, `glossary ${language} “${e[language]}”`));
      expect(report(caught)).toBe('');
    }
  });

  it.each([
    ['zh-CN', catalogs['zh-CN'], 'zh'],
    ['en', catalogs.en, 'en'],
  ] as const)('the %s catalog uses no retired synonym', (label, catalog, language) => {
    expect(report(findRetiredInCatalog(catalog, language, label))).toBe('');
  });

  it.each(CHINESE_DOCUMENTS)('the Chinese-only document %s uses no retired synonym', (file) => {
    expect(report(sourceFindings(file, fs.readFileSync(path.join(repoDir, file), 'utf8'), 'document'))).toBe('');
  });

  it('the importers’ and the server’s messages use no retired synonym', () => {
    // only sources with Chinese text or English messages hold user-facing words; the others are not parsed
    const sources = BILINGUAL_MESSAGE_DIRS.flatMap(filesUnder)
      .map((file) => ({ file, source: fs.readFileSync(path.join(repoDir, file), 'utf8') }))
      .filter(({ source }) => /\p{Script=Han}|\ben:|messageEn/u.test(source));
    expect(sources.map((s) => s.file)).toEqual(expect.arrayContaining(['shared/import/scorer-table.ts', 'server/src/tours/import-tour.ts']));
    expect(report(sources.flatMap(({ file, source }) => sourceFindings(file, source, 'messages')))).toBe('');
  });
});

describe('the glossary check fails when a retired synonym comes back', () => {
  it('in a Chinese catalog value, naming the key and the term to use', () => {
    const findings = findRetiredInCatalog({ ...zhCN, 'desk.rules.minSheets': '至少有几份评议表时才去掉' }, 'zh', 'zh-CN');
    expect(findings.map(describeFinding)).toEqual([expect.stringMatching(/^zh-CN desk\.rules\.minSheets: “评议表” is retired; say “评分表” \(/)]);
  });

  it('not in a placeholder, which names a value for the code', () => {
    expect(findRetiredInCatalog({ 'ballots.board.summary': '{reopened} sent back' }, 'en', 'en')).toEqual([]);
  });

  it('in an English catalog value, in a plural form too', () => {
    const findings = findRetiredInCatalog({ ...en, 'ballots.board.reopen': 'Reopen', 'pending.ballots': { one: '{count} rank vote', other: '{count} ballots' } }, 'en', 'en');
    expect(findings.map((f) => `${f.where}: ${f.found} → ${f.use}`).sort()).toEqual(['en ballots.board.reopen: Reopen → send back', 'en pending.ballots: {count} rank vote → ballot']);
  });

  it('only where the word means the concept: an allowed key keeps it, any other key does not', () => {
    expect(findRetiredInCatalog({ 'photos.cancel': 'Stop' }, 'en', 'en')).toEqual([]);
    expect(findRetiredInCatalog({ 'stop.order': 'Stop {order}', 'tour.itinerary': 'Stops' }, 'en', 'en').map((f) => f.where)).toEqual(['en tour.itinerary']);
    expect(findRetiredInCatalog({ 'x.scopes': '全部统一排名 / 各组分别排名', 'x.old': '分组排名' }, 'zh', 'zh-CN').map((f) => f.where)).toEqual(['zh-CN x.old']);
  });

  it('in a document builder’s source, naming file and line, but not in its comments', () => {
    const source = [
      '/** 计分规则 was the old sheet name (a comment: not read) */',
      "const sheet = addTable(workbook, '计分规则', [{ header: '项目' }]);",
      'const head = <th>计分表数</th>;',
      'const note = `有效${entry}不足时不去分`;',
    ].join('\n');
    expect(sourceFindings('build-workbook.tsx', source, 'document').map((f) => `${f.where} ${f.found}→${f.use}`)).toEqual([
      'build-workbook.tsx:2 计分规则→排名规则',
      'build-workbook.tsx:3 计分表→评分表',
      'build-workbook.tsx:4 去分→去掉最高分和最低分',
    ]);
  });

  it('in an importer’s message in either language, but not in the spreadsheet headers it recognises', () => {
    const source = [
      "const COLUMNS = [{ key: 'unit', label: '县市区', aliases: ['参评单位', '县(市、区)'] }];",
      "issue('role', text, { zh: '填写“评委”或“观摩员”', en: 'write 评委 for a scorer; reopen it' });",
    ].join('\n');
    expect(sourceFindings('shared/import/x.ts', source, 'messages').map((f) => `${f.where} ${f.found}→${f.use}`)).toEqual([
      'shared/import/x.ts:2 观摩员→观摩人员',
      'shared/import/x.ts:2 reopen→send back',
    ]);
  });
});

describe('one wording for a rule across the screens and the workbook', () => {
  const zh = createTranslator('zh-CN');
  const lines = (method: 'score' | 'rankVote') =>
    rulesStatement({ method, trim: { dropHighest: 1, dropLowest: 1, minSheets: 5 }, groupWeights: { 市领导: 0.6, 部门: 0.4 }, recusal: true, unitScore: 'mean', indicatorWeight: 0.2, tieBreakCriterion: null, projectScope: 'tour', unitScope: 'group' }, { criteria: [], groups: ['县组', '区组'] }).map(
      (l) => l.rule,
    );

  it('names the workbook’s rule lines with the labels of the rules on screen', () => {
    // rule line → the label on screen it must start with (labels may add a range, e.g. （0–1）)
    const onScreen: Record<string, MessageKey> = {
      计分方法: 'desk.rules.method',
      去掉最高分和最低分: 'desk.rules.trim',
      按权重组加权: 'desk.rules.groupWeights',
      单位现场得分: 'desk.rules.unitScore',
      指标得分权重: 'desk.rules.indicatorWeight',
      项目排名范围: 'desk.rules.projectScope',
      单位排名范围: 'desk.rules.unitScope',
    };
    const score = lines('score');
    for (const [line, key] of Object.entries(onScreen)) {
      expect(score, `the workbook states ${line}`).toContain(line);
      expect(zh(key).startsWith(line), `${key} “${zh(key)}” starts with ${line}`).toBe(true);
    }
    expect(lines('rankVote')).toEqual(expect.arrayContaining(['计分方法', '去掉最高分和最低分', '按权重组加权', '单位排序得分', '指标得分权重', '单位排名范围']));
  });

  it('words the two rank scopes in the workbook as the editor and the rankings page do', () => {
    expect(scopeWords).toEqual({ tour: zh('desk.rules.scope.tour'), group: zh('desk.rules.scope.group') });
  });
});
