import { GuanmoDb } from './guanmo-db';

/**
 * The app's single local database. Opens lazily on first use (see open-local-data.ts).
 * 'strict' durability: a committed score must survive the laptop's battery dying on the bus
 * a second later (Chromium otherwise may acknowledge commits before they reach the disk).
 */
export const db = new GuanmoDb('guanmo', { chromeTransactionDurability: 'strict' });
