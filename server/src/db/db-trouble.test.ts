import { describe, expect, it } from 'vitest';
import { classifyDbError } from './db-trouble.js';

describe('classifyDbError', () => {
  it('calls a PostgreSQL pool that could not hand out or open a connection in time busy (503, retry), not a failure', () => {
    expect(classifyDbError(new Error('timeout exceeded when trying to connect'))).toMatchObject({ kind: 'busy', retryAfterSeconds: 2 });
    // pg-pool: a new connection's handshake outlasted the wait (PostgreSQL slow to accept under load)
    const connectTimeout = new Error('Connection terminated due to connection timeout', { cause: new Error('Connection terminated unexpectedly') });
    expect(classifyDbError(connectTimeout)).toMatchObject({ kind: 'busy', cause: 'PostgreSQL connect wait' });
    expect(classifyDbError(new Error('Connection terminated unexpectedly'))).toBeNull();
  });
});
