import { GuanmoDb } from './guanmo-db';

/** The app's single local database. Opens lazily on first use (see open-local-data.ts). */
export const db = new GuanmoDb('guanmo');
