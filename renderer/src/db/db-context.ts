import { createContext, useContext } from 'react';
import { db } from './db';
import type { GuanmoDb } from './guanmo-db';

/** The database the hooks read. Defaults to the app's `db`; tests provide their own. */
export const DbContext = createContext<GuanmoDb>(db);

export function useDb(): GuanmoDb {
  return useContext(DbContext);
}
