/**
 * Child process of sqlite-open.test.ts: waits until the instant given, then opens (and migrates)
 * the SQLite database in the folder given, as a server process starting would. Prints "ok" or
 * the error's code and message.
 */
import { openDatabase } from '../db/database.js';

const [dataDir, startAt] = [process.argv[2]!, Number(process.argv[3])];
while (Date.now() < startAt) {
  // spin: both children must reach the file in the same instant
}
try {
  const database = await openDatabase({ databaseUrl: null, dataDir }, { warn: () => {} });
  await database.close();
  console.log('ok');
} catch (error) {
  const cause = (error as { cause?: { cause?: { code?: string } } }).cause?.cause;
  console.log(`${cause?.code ?? 'error'}: ${(error as Error).message}`);
}
