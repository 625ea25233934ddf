/**
 * Sign-in messages between the app and the sync server (POST /api/auth/login, GET /api/auth/me).
 * The server validates requests with these schemas; the client validates responses.
 */
import { z } from 'zod';
import { roleSchema, text } from '../domain/schemas';

export const loginRequestSchema = z.object({
  username: text().min(1, 'user name is empty').max(200, 'user name is too long'),
  password: text().min(1, 'password is empty').max(256, 'password is longer than 256 characters'),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const accountSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
});
export type Account = z.infer<typeof accountSchema>;

export const loginResponseSchema = z.object({
  /** send as `Authorization: Bearer <token>`; shown once, keep it in the OS keychain */
  token: z.string(),
  tokenType: z.literal('Bearer'),
  /** the session expires this long after its last use, and never later than 90 days after sign-in */
  expiresAt: z.string(),
  user: accountSchema,
});
export type LoginResponse = z.infer<typeof loginResponseSchema>;

export const meResponseSchema = z.object({
  user: accountSchema,
  session: z.object({ id: z.string(), expiresAt: z.string() }),
});
export type MeResponse = z.infer<typeof meResponseSchema>;

/**
 * GET /api/users (secretariat and admin only): the accounts the desk can assign as scorers and
 * observers. Never password hashes or sessions.
 */
export const userListItemSchema = accountSchema.extend({
  /** a disabled account cannot sign in; the desk shows it but does not offer it for new assignments */
  disabled: z.boolean(),
});
export type UserListItem = z.infer<typeof userListItemSchema>;

export const usersResponseSchema = z.object({ users: z.array(userListItemSchema) });
export type UsersResponse = z.infer<typeof usersResponseSchema>;
