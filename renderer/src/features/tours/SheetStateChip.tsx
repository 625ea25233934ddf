import type { StopSheetState } from '../../db/sheets-repo';
import type { MessageKey } from '../../i18n/catalogs';
import { useT } from '../../i18n/use-t';

const labelKey: Readonly<Record<StopSheetState, MessageKey | null>> = {
  todo: 'sheetState.todo',
  draft: 'sheetState.draft',
  submitted: 'sheetState.submitted',
  reopened: 'sheetState.reopened',
  recused: 'sheetState.recused',
  observer: null,
  none: null,
};

/** The user's score sheet state of a stop: 未评分 / 草稿 / 已提交 / 已退回修改 / 回避; nothing where there is no sheet. */
export function SheetStateChip({ state }: { state: StopSheetState }) {
  const t = useT();
  const key = labelKey[state];
  if (!key) return null;
  return (
    <span className={`sheet-state sheet-state--${state}`} data-state={state}>
      {t(key)}
    </span>
  );
}
