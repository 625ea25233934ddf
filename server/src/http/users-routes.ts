/**
 * Accounts for the desk.
 *
 *   GET /api/users → {users: [{id, username, displayName, role, disabled}]}
 *
 * For the secretariat and admins, so the desk can assign accounts as scorers (403 for scorers and
 * observers: the list of accounts is nobody else's business). Only the fields above leave the
 * server: never password hashes, sessions or timestamps. Sorted by display name, then user name.
 */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { UsersResponse } from '@shared/sync/auth-protocol';
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
}
