/**
 * The little of PouchDB 9, pouchdb-adapter-memory and express-pouchdb 4 that the sync bench uses
 * (none of them ships types; @types/pouchdb describes older releases).
 */
declare module 'pouchdb' {
  export interface ReplicationResult {
    ok: boolean;
    docs_read: number;
    docs_written: number;
    doc_write_failures: number;
    errors: unknown[];
    status: string;
  }
  export interface ReplicationOptions {
    batch_size?: number;
    batches_limit?: number;
  }
  export interface BulkResult {
    ok?: boolean;
    id?: string;
    error?: string;
    reason?: string;
  }
  export interface PouchDatabase {
    bulkDocs(docs: object[]): Promise<BulkResult[]>;
    info(): Promise<{ doc_count: number; update_seq: number | string }>;
    get(id: string, options?: { attachments?: boolean; binary?: boolean }): Promise<Record<string, unknown>>;
    getAttachment(docId: string, attachmentId: string): Promise<Buffer>;
    replicate: { to(target: PouchDatabase, options?: ReplicationOptions): Promise<ReplicationResult> };
    destroy(): Promise<unknown>;
    close(): Promise<void>;
  }
  export interface PouchStatic {
    new (name: string, options?: { adapter?: string; fetch?: typeof fetch }): PouchDatabase;
    plugin(plugin: unknown): PouchStatic;
    defaults(options: { adapter?: string; prefix?: string }): PouchStatic;
  }
  const PouchDB: PouchStatic;
  export default PouchDB;
}

declare module 'pouchdb-adapter-memory' {
  const plugin: unknown;
  export default plugin;
}

declare module 'express-pouchdb' {
  import type { RequestListener } from 'node:http';
  function expressPouchDB(PouchDB: unknown, options?: { mode?: 'fullCouchDB' | 'minimumForPouchDB' | 'custom'; inMemoryConfig?: boolean; logPath?: string }): RequestListener;
  export default expressPouchDB;
}

declare module 'pouchdb/dist/pouchdb.js' {
  import PouchDB from 'pouchdb';
  export default PouchDB;
}
