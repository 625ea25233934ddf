import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link } from '../../app/Link';
import { useDb } from '../../db/db-context';
import { useTours } from '../../db/use-tours';
import { tourKindLabels, tourStatusLabels } from './desk-labels';
import { createTour, newTourId } from './prepare/desk-repo';
import { TourMetaFields } from './prepare/TourMetaFields';
import { tourMetaFormSchema, type TourMetaForm } from './prepare/tour-form-schema';
import './desk.css';

/** #/desk: every tour (the secretariat syncs them all), and a new one. */
export function DeskHomePage() {
  const tours = useTours();
  const [isCreating, setIsCreating] = useState(false);
  return (
    <section className="page desk">
      <header className="page__header">
        <h1 className="page__title" tabIndex={-1}>
          秘书处工作台
        </h1>
        <p className="page__subtitle">准备观摩活动、导入点位和评分表、发布，并实时查看评分进度。</p>
      </header>
      {isCreating ? (
        <NewTourForm onDone={() => setIsCreating(false)} />
      ) : (
        <p>
          <button type="button" className="button button--primary" onClick={() => setIsCreating(true)}>
            新建观摩活动
          </button>
        </p>
      )}
      {tours === undefined ? (
        <p className="muted" role="status">
          正在加载…
        </p>
      ) : tours.length === 0 ? (
        <p className="empty">还没有观摩活动。</p>
      ) : (
        <table className="desk-table" data-testid="desk-tours">
          <thead>
            <tr>
              <th scope="col">名称</th>
              <th scope="col">类型</th>
              <th scope="col">日期</th>
              <th scope="col">状态</th>
              <th scope="col">操作</th>
            </tr>
          </thead>
          <tbody>
            {tours.map((tour) => (
              <tr key={tour.id}>
                <td>
                  <Link to={{ name: 'deskTour', tourId: tour.id }}>{tour.name}</Link>
                </td>
                <td>{tourKindLabels[tour.kind]}</td>
                <td>
                  {tour.startDate} ~ {tour.endDate}
                </td>
                <td>
                  <span className={`badge badge--status-${tour.status}`}>{tourStatusLabels[tour.status]}</span>
                </td>
                <td>
                  <Link to={{ name: 'deskBoard', tourId: tour.id }}>评分进度</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function NewTourForm({ onDone }: { onDone: () => void }) {
  const db = useDb();
  const today = new Date().toISOString().slice(0, 10);
  const form = useForm<TourMetaForm>({
    resolver: zodResolver(tourMetaFormSchema),
    defaultValues: { name: '', kind: 'scored', startDate: today, endDate: today },
  });
  const [error, setError] = useState<string | null>(null);
  const onSubmit = form.handleSubmit(async (values) => {
    try {
      const id = newTourId();
      await createTour(db, id, values);
      onDone();
      window.location.hash = `#/desk/tours/${encodeURIComponent(id)}`;
    } catch (e) {
      setError(`保存失败：${e instanceof Error ? e.message : String(e)}`);
    }
  });
  return (
    <form className="panel desk-form" onSubmit={onSubmit} noValidate data-testid="new-tour-form">
      <h2 className="panel__title">新建观摩活动</h2>
      <TourMetaFields form={form} />
      {error && (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      )}
      <div className="desk-form__actions">
        <button type="submit" className="button button--primary" disabled={form.formState.isSubmitting}>
          创建
        </button>
        <button type="button" className="button button--ghost" onClick={onDone}>
          取消
        </button>
      </div>
    </form>
  );
}
