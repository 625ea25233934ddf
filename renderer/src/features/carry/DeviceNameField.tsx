import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useId, useState } from 'react';
import { useDb } from '../../db/db-context';
import { getMeta } from '../../db/meta-repo';
import { useT } from '../../i18n/use-t';
import { MAX_DEVICE_NAME_LENGTH, readDeviceName, saveDeviceName } from '../../sync/device-name';

/** 本机名称: how the desk's "unsynced laptops" list names this computer. */
export function DeviceNameField() {
  const t = useT();
  const db = useDb();
  const id = useId();
  // read only: a live query must not write (the device id exists once the app has synced or stamped a change)
  const current = useLiveQuery(async () => readDeviceName(db, (await getMeta(db, 'clientId')) ?? ''), [db]);
  const [text, setText] = useState<string | null>(null);
  const [isSaved, setSaved] = useState(false);
  useEffect(() => {
    if (current !== undefined && text === null) setText(current);
  }, [current, text]);

  async function save() {
    await saveDeviceName(db, text ?? '');
    setSaved(true);
  }

  return (
    <div className="carry-device-name">
      <label htmlFor={id} className="carry-device-name__label">
        {t('carry.deviceName')}
      </label>
      <div className="carry-device-name__row">
        <input
          id={id}
          className="input"
          value={text ?? ''}
          maxLength={MAX_DEVICE_NAME_LENGTH}
          onChange={(e) => {
            setText(e.currentTarget.value);
            setSaved(false);
          }}
          data-testid="carry-device-name"
        />
        <button type="button" className="button" onClick={() => void save()} disabled={text === null || text.trim() === current}>
          {t('carry.deviceNameSave')}
        </button>
        {isSaved && <span className="muted" role="status">{t('carry.deviceNameSaved')}</span>}
      </div>
      <p className="muted panel__hint">{t('carry.deviceNameHint')}</p>
    </div>
  );
}
