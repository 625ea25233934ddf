/**
 * Accounts for the desk.
 *
 *   GET  /api/users → {users: [{id, username, displayName, role, disabled}]}
 *   POST /api/users/batch {users: [{username, displayName, role, password?}]} → {results: [...]}
 *
 * For the secretariat and admins, so the desk can assign accounts as scorers (403 for scorers and
 * observers: the list of accounts is nobody else's business). Only the fields above leave the
 * server: never password hashes, sessions or timestamps. Sorted by display name, then user name.
 *
 * The batch creates accounts from a scorer list, for admins only (the secretariat assigns
 * accounts, it does not make them): each with a one-time password and must-change-password,
 * one result per account in the order sent, safe to re-send (auth/create-accounts.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { createUsersRequestSchema, type CreateUsersResponse, type UsersResponse } from '@shared/sync/auth-protocol';
import { createAccounts } from '../auth/create-accounts.js';
import { requireUser, staffRoles } from '../auth/require-user.js';
import type { Database } from '../db/schema.js';
import { listUsers } from '../db/users.js';

export function registerUsersRoutes(app: FastifyInstance, db: Kysely<Database>): void {
  app.get('/api/users', async (request, reply) => {
    await requireUser(request, staffRoles);
    const users = await listUsers(db);
    const response: UsersResponse = {
      users: users
        .map((u) => ({ id: u.id, username: u.username, displayName: u.displayName, role: u.role, disabled: u.disabled }))
        .sort((a, b) => a.displayName.localeCompare(b.displayName, 'zh-CN') || a.username.localeCompare(b.username)),
    };
    return reply.header('cache-control', 'no-store').send(response);
  });

  app.post('/api/users/batch', async (request, reply) => {
    const admin = await requireUser(request, ['admin']);
    const body = createUsersRequestSchema.parse(request.body);
    const results = await createAccounts(db, body.users, { id: admin.id, username: admin.username });
    const created = results.filter((r) => r.status === 'created').length;
    request.log.info({ requested: body.users.length, created }, 'accounts created in bulk');
    const response: CreateUsersResponse = { results };
    return reply.header('cache-control', 'no-store').send(response);
  });
}
