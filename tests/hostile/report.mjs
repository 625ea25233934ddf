#!/usr/bin/env node
// Adds up the hostile suite's tallies (tests/.tmp/hostile/*.json, written by each suite file):
// requests tried, 5xx seen, records checked and lost, per database and in all.
//   npx vitest run tests/hostile && node tests/hostile/report.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../.tmp/hostile');
const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
if (files.length === 0) {
  console.log('no tallies yet: run npx vitest run tests/hostile first');
  process.exit(1);
}
const totals = new Map();
for (const file of files.sort()) {
  const t = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  const sum = totals.get(t.kind) ?? { requests: 0, fiveXx: 0, checked: 0, lost: 0, files: 0 };
  sum.requests += t.requests + t.rawAttempts;
  sum.fiveXx += t.fiveXx.length;
  sum.checked += t.recordsChecked;
  sum.lost += t.recordsLost.length;
  sum.files++;
  totals.set(t.kind, sum);
  console.log(`${t.kind.padEnd(8)} ${t.name.padEnd(28)} ${String(t.requests + t.rawAttempts).padStart(7)} requests  ${String(t.fiveXx.length).padStart(3)} × 5xx  ${String(t.recordsChecked).padStart(5)} records checked  ${t.recordsLost.length} lost`);
  for (const f of t.fiveXx.slice(0, 10)) console.log(`         5xx: ${f.method} ${f.url} → ${f.status}`);
}
let all = { requests: 0, fiveXx: 0, checked: 0, lost: 0 };
for (const [kind, sum] of totals) {
  console.log(`${kind}: ${sum.requests} requests, ${sum.fiveXx} × 5xx, ${sum.checked} records checked, ${sum.lost} lost (${sum.files} files)`);
  all = { requests: all.requests + sum.requests, fiveXx: all.fiveXx + sum.fiveXx, checked: all.checked + sum.checked, lost: all.lost + sum.lost };
}
console.log(`all: ${all.requests} requests, ${all.fiveXx} × 5xx, ${all.checked} records checked, ${all.lost} lost`);
process.exitCode = all.fiveXx === 0 && all.lost === 0 ? 0 : 1;
