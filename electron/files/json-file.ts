/**
 * Small JSON files in userData (window state, settings). Reads never throw: a missing,
 * truncated or hand-edited file yields null and the caller falls back to defaults. Writes
 * go to a temporary file that is renamed over the old one, so a crash mid-write leaves the
 * previous file, never half of a new one.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { z } from 'zod';

export async function readJsonFile<S extends z.ZodType>(file: string, schema: S): Promise<z.output<S> | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return null;
  }
  return parseJson(text, schema);
}

export function readJsonFileSync<S extends z.ZodType>(file: string, schema: S): z.output<S> | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  return parseJson(text, schema);
}

function parseJson<S extends z.ZodType>(text: string, schema: S): z.output<S> | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = schema.safeParse(data);
  return parsed.success ? parsed.data : null;
}

function tempPathFor(file: string): string {
  return `${file}.${process.pid}.${Date.now().toString(36)}.tmp`;
}

export async function writeJsonFileAtomic(file: string, data: unknown): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = tempPathFor(file);
  try {
    await writeFile(temp, `${JSON.stringify(data, null, 2)}\n`, 'utf8');
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** For the last save while the app quits, when there is no time to await. */
export function writeJsonFileAtomicSync(file: string, data: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = tempPathFor(file);
  try {
    writeFileSync(temp, `${JSON.stringify(data, null, 2)}\n`, 'utf8');
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
