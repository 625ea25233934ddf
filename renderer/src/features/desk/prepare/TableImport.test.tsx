// @vitest-environment happy-dom
import { importTemplateTable } from '@shared/import';
import type { Template } from '@shared/domain/schemas';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider } from '../../../i18n/I18nProvider';
import { TableImport } from './TableImport';

afterEach(cleanup);

function pick(text: string, name = 'template.csv') {
  const input = screen.getByLabelText('导入评分表') as HTMLInputElement;
  const file = new File([text], name, { type: 'text/csv' });
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  fireEvent.change(input);
}

function renderImport(onSave: (t: Template) => Promise<void>) {
  render(
    <TableImport<Template>
      label="导入评分表"
      testId="t"
      parse={(rows) => importTemplateTable(rows, { id: 'tpl', name: '评分表' })}
      preview={(t) => <p>预览共{t.criteria.length}项</p>}
      onSave={onSave}
    />,
  );
}

describe('table import', () => {
  it('has its own choose-file button and names the chosen file in the app’s language', async () => {
    renderImport(vi.fn(async () => {}));
    const input = screen.getByLabelText('导入评分表') as HTMLInputElement;
    // the browser's own control (system language) is hidden behind a label styled as a button
    expect(input.classList.contains('visually-hidden')).toBe(true);
    const choose = screen.getByText('选择文件…');
    expect(choose.tagName).toBe('LABEL');
    expect((choose as HTMLLabelElement).htmlFor).toBe(input.id);
    expect(choose.classList.contains('button')).toBe(true);
    // base.css draws the focus ring on the label that follows a focused hidden input
    expect(input.nextElementSibling).toBe(choose);
    const fileName = screen.getByTestId('import-file-name');
    expect(fileName.textContent).toBe('未选择文件');
    expect(input.getAttribute('aria-describedby')).toBe(fileName.id);
    pick('评分项目,分值\n项目规模,20\n', '评分表.csv');
    await waitFor(() => expect(fileName.textContent).toBe('已选：评分表.csv'));
  });

  it('speaks English in the English app', () => {
    render(
      <I18nProvider initialLocale="en">
        <TableImport<Template> label="Import template" testId="t" parse={(rows) => importTemplateTable(rows, { id: 'tpl', name: 'T' })} preview={() => null} onSave={vi.fn(async () => {})} />
      </I18nProvider>,
    );
    expect(screen.getByText('Choose file…').tagName).toBe('LABEL');
    expect(screen.getByTestId('import-file-name').textContent).toBe('No file chosen');
  });

  it('shows every row error and offers nothing to save', async () => {
    const onSave = vi.fn(async () => {});
    renderImport(onSave);
    pick('评分项目,分值\n项目规模,二十\n建设进度,25.3\n');
    const errors = await screen.findByTestId('import-errors');
    expect(errors.textContent).toContain('有 2 处问题，未保存任何内容');
    expect(errors.textContent).toContain('第2行「分值」');
    expect(errors.textContent).toContain('第3行「分值」');
    expect(screen.queryByRole('button', { name: '保存导入' })).toBeNull();
    expect(onSave).not.toHaveBeenCalled();
  });

  it('previews a good table and saves only when asked', async () => {
    const onSave = vi.fn(async (_t: Template) => {});
    renderImport(onSave);
    pick('评分项目,分值\n项目规模,20\n建设进度,25\n');
    await screen.findByText('预览共2项');
    expect(onSave).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: '保存导入' }));
    await waitFor(() => expect(onSave).toHaveBeenCalledTimes(1));
    expect(onSave.mock.calls[0]![0].criteria.map((c) => c.name)).toEqual(['项目规模', '建设进度']);
    await screen.findByText('已保存「template.csv」的内容。');
  });

  it('reads the same rows again when an import option (parseKey) changes, without picking the file again', async () => {
    const onSave = vi.fn(async (_: string) => {});
    function WithOption({ factor }: { factor: string }) {
      return (
        <TableImport<string>
          label="导入评分表"
          testId="t"
          parse={(rows) => ({ ok: true, value: `${rows.length} 行 × ${factor}` })}
          parseKey={factor}
          preview={(v) => <p data-testid="value">{v}</p>}
          onSave={onSave}
        />
      );
    }
    const { rerender } = render(<WithOption factor="wgs84" />);
    pick('a,b\n1,2\n', 'coords.csv');
    await waitFor(() => expect(screen.getByTestId('value').textContent).toBe('2 行 × wgs84'));
    rerender(<WithOption factor="gcj02" />);
    await waitFor(() => expect(screen.getByTestId('value').textContent).toBe('2 行 × gcj02'));
    fireEvent.click(screen.getByRole('button', { name: '保存导入' }));
    await waitFor(() => expect(onSave).toHaveBeenCalledWith('2 行 × gcj02'));
  });
});
