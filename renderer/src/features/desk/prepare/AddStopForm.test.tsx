// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DbContext } from '../../../db/db-context';
import type { GuanmoDb } from '../../../db/guanmo-db';
import { I18nProvider } from '../../../i18n/I18nProvider';
import { createTestDb } from '../../../test-support/test-db';
import { AddStopForm } from './AddStopForm';
import { addUnit, createTour } from './desk-repo';

let db: GuanmoDb;
beforeEach(() => {
  localStorage.clear();
  db = createTestDb();
});
afterEach(() => {
  cleanup();
  db.close();
});

describe('adding a stop by hand', () => {
  it('starts with empty amounts (not "NaN"), saves them as unknown when left empty, and checks them in the user\'s language', async () => {
    const tour = await createTour(db, 't-add', { name: '手动', kind: 'scored', startDate: '2021-12-08', endDate: '2021-12-08' });
    await addUnit(db, { id: 't-add-unit-1', tourId: tour.id, name: '高新区', group: null, indicatorScore: null });
    render(
      <I18nProvider initialLocale="en">
        <DbContext.Provider value={db}>
          <AddStopForm tour={tour} units={[(await db.units.get('t-add-unit-1'))!]} />
        </DbContext.Provider>
      </I18nProvider>,
    );
    const total = screen.getByLabelText('Total investment (×10,000 yuan)') as HTMLInputElement;
    const completed = screen.getByLabelText('Completed investment (×10,000 yuan)') as HTMLInputElement;
    expect([total.value, completed.value]).toEqual(['', '']);

    fireEvent.change(screen.getByLabelText('Project name'), { target: { value: '信息科技园' } });
    fireEvent.change(screen.getByLabelText('Unit'), { target: { value: 't-add-unit-1' } });
    fireEvent.change(total, { target: { value: '10' } });
    fireEvent.change(completed, { target: { value: '20' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add project' }));
    await screen.findByText('Completed investment cannot exceed the total investment');
    expect(await db.stops.count()).toBe(0);

    fireEvent.change(total, { target: { value: '' } });
    fireEvent.change(completed, { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add project' }));
    await waitFor(async () => expect(await db.stops.count()).toBe(1));
    expect((await db.stops.toArray())[0]).toMatchObject({ name: '信息科技园', order: 1, totalInvestment: null, completedInvestment: null });
    await waitFor(() => expect([total.value, completed.value]).toEqual(['', '']));
  });
});
