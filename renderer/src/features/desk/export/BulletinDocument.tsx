import { Fragment, type ReactNode } from 'react';
import type { BulletinHeader } from '@shared/domain/schemas';
import { formatCalendarDate } from '../../../i18n/format';
import { documentRank, titlePieces, type BulletinDocument as BulletinDocumentModel, type BulletinProjectTable, type BulletinUnitTable } from './bulletin-document';

/**
 * The bulletin as printed, laid out the way Chinese official documents are (GB/T 9704 in
 * spirit): the red masthead (发文机关) with the 文号 under it and a red rule, the title, the
 * 主送 line, the body (opening, ranking tables, 评议办法), 特此通报, then 落款 and 印发日期 at the
 * bottom right; photo pages follow as 附件 (`attachments`). Chinese whatever the app's language.
 *
 * What must stay true: a header field left empty prints nothing, except the date, which prints
 * as a blank to fill by hand (　年　月　日) and is marked on screen (never on paper).
 */
export function BulletinDocument({
  doc,
  header,
  attachments,
  attachmentNames = ['项目现场照片'],
  isTrial = false,
}: {
  doc: BulletinDocumentModel;
  header: BulletinHeader | undefined;
  attachments: ReactNode | null;
  /** the 附件 line's names, in the order the attachments follow (numbered when more than one) */
  attachmentNames?: readonly string[];
  /** computed with the secretariat's unsaved trial rules: said on screen and on paper */
  isTrial?: boolean;
}) {
  const issuer = header?.issuingAuthority ?? '';
  const number = header?.documentNumber ?? '';
  const addressees = header?.addressees ?? '';
  const signedBy = header?.signedBy ?? '';
  const issueDate = header?.issueDate ?? null;
  return (
    <div className="bulletin__paper" lang="zh-CN" data-testid="bulletin-document">
      {isTrial && (
        <p className="bulletin__trial" role="alert" data-testid="bulletin-trial">
          试算，未保存的规则：本通报按尚未保存的试算规则计算，不是正式结果。
        </p>
      )}
      {(issuer || number) && (
        <header className="bulletin__masthead">
          {issuer && (
            <p className="bulletin__issuer" data-testid="bulletin-issuer">
              {issuer}
            </p>
          )}
          {number && (
            <p className="bulletin__doc-number" data-testid="bulletin-doc-number">
              {number}
            </p>
          )}
          <hr className="bulletin__red-rule" />
        </header>
      )}
      <h1 className="bulletin__title" tabIndex={-1}>
        {titlePieces(doc.title).map((piece, i) => (
          <Fragment key={i}>
            {i > 0 && <wbr />}
            {piece}
          </Fragment>
        ))}
      </h1>
      {addressees && (
        <p className="bulletin__addressees" data-testid="bulletin-addressees">
          {addressees}：
        </p>
      )}
      <p className="bulletin__para">{doc.opening}</p>

      {doc.units && (
        <section className="bulletin__section" data-testid="bulletin-units">
          <h2 className="bulletin__heading">{doc.units.heading}</h2>
          {doc.units.tables.map((table) => (
            <UnitTable key={table.key} table={table} />
          ))}
        </section>
      )}
      {doc.projects && (
        <section className="bulletin__section" data-testid="bulletin-projects">
          <h2 className="bulletin__heading">{doc.projects.heading}</h2>
          {doc.projects.tables.map((table) => (
            <ProjectTable key={table.key} table={table} />
          ))}
        </section>
      )}
      {doc.notes.length > 0 && (
        <div className="bulletin__notes-block">
          {doc.notes.map((note) => (
            <p key={note} className="bulletin__footnote">
              注：{note}
            </p>
          ))}
        </div>
      )}
      <section className="bulletin__section">
        <h2 className="bulletin__heading">{doc.method.heading}</h2>
        <p className="bulletin__para" data-testid="bulletin-rules">
          {doc.method.sentence}
        </p>
      </section>

      {/* kept on one page: a 落款 never stands on a page of its own */}
      <div className="bulletin__closing">
        <p className="bulletin__para">特此通报。</p>
        {attachments && attachmentNames.length > 0 && <p className="bulletin__attachment-list">附件：{attachmentNames.length === 1 ? attachmentNames[0] : attachmentNames.map((name, i) => `${i + 1}.${name}`).join('　')}</p>}
        <div className="bulletin__signoff" data-testid="bulletin-signoff">
          {signedBy && <p>{signedBy}</p>}
          <p data-testid="bulletin-issue-date">
            {issueDate ? formatCalendarDate(issueDate, 'zh-CN') : '　　　　年　　月　　日'}
            {!issueDate && <span className="bulletin__unset no-print">（印发日期未填写）</span>}
          </p>
        </div>
      </div>
      {attachments}
    </div>
  );
}

function RankCell({ rank, isTie }: { rank: number | null; isTie: boolean }) {
  return <td className="bulletin__rank">{documentRank(rank, isTie)}</td>;
}

function UnitTable({ table }: { table: BulletinUnitTable }) {
  return (
    <div className="bulletin__table-block bulletin__table-block--units">
      {table.heading && <h3 className="bulletin__subheading">{table.heading}</h3>}
      <table className="bulletin__table" data-testid="bulletin-unit-ranking">
        <thead>
          <tr>
            <th className="bulletin__rank">名次</th>
            <th>参评单位</th>
            {table.hasGroupColumn && <th className="bulletin__group">分组</th>}
            {table.hasBallotColumn && <th className="num">有效排序票</th>}
            {/* one name for the on-site part of the score: 排序得分 for a rank vote */}
            {table.hasIndicatorColumns && <th className="num">{table.hasBallotColumn ? '排序得分' : '现场得分'}</th>}
            {table.hasIndicatorColumns && <th className="num">指标得分</th>}
            <th className="num">得分</th>
          </tr>
        </thead>
        <tbody>
          {table.rows.map((u) => (
            <tr key={u.unitId}>
              <RankCell rank={u.rank} isTie={u.isTie} />
              <td>{u.name}</td>
              {table.hasGroupColumn && <td className="bulletin__group">{u.group ?? '未分组'}</td>}
              {table.hasBallotColumn && <td className="num">{u.ballots ?? '—'}</td>}
              {table.hasIndicatorColumns && <td className="num">{u.onSite?.display ?? '—'}</td>}
              {table.hasIndicatorColumns && <td className="num">{u.indicator?.display ?? '—'}</td>}
              <td className="num">{u.score?.display ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ProjectTable({ table }: { table: BulletinProjectTable }) {
  return (
    <div className="bulletin__table-block">
      {table.heading && <h3 className="bulletin__subheading">{table.heading}</h3>}
      <table className="bulletin__table" data-testid="bulletin-project-ranking">
        <thead>
          <tr>
            <th className="bulletin__rank">名次</th>
            <th>项目名称</th>
            <th className="bulletin__unit-col">参评单位</th>
            {table.hasGroupColumn && <th className="bulletin__group">分组</th>}
            <th className="num">得分</th>
          </tr>
        </thead>
        <tbody>
          {table.rows.map((p) => (
            <tr key={p.stopId}>
              <RankCell rank={p.rank} isTie={p.isTie} />
              <td>{p.name}</td>
              <td className="bulletin__unit-col">{p.unitName}</td>
              {table.hasGroupColumn && <td className="bulletin__group">{p.group ?? '未分组'}</td>}
              <td className="num">{p.score?.display ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
