// Child process of database-trouble.test.ts: another process holding the SQLite database's write
// lock (as the admin CLI or a backup tool would), until a line arrives on stdin.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');
const db = new Database(process.argv[2], { timeout: 10_000 });
db.exec('begin immediate');
process.stdout.write('locked\n');
process.stdin.once('data', () => {
  db.exec('commit');
  db.close();
  process.stdout.write('released\n');
  process.exit(0);
});
