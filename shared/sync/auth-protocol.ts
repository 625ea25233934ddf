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

/**
 * POST /api/auth/login answers 403 with this code when the password was right but is a one-time
 * password an administrator handed out: the person must choose their own first
 * (POST /api/auth/password), and gets no session before that.
 */
export const PASSWORD_CHANGE_REQUIRED = 'password_change_required';

/** What a password a person chooses must be (the server checks it; the app says it first). */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 256;

/**
 * POST /api/auth/password: a person who knows their current password (one-time or not) sets a
 * new one, and is signed in with it (the answer is a login response). Throttled like sign-in.
 */
export const changePasswordRequestSchema = z.object({
  username: loginRequestSchema.shape.username,
  password: loginRequestSchema.shape.password,
  newPassword: z
    .string()
    .min(PASSWORD_MIN_LENGTH, `the new password must be at least ${PASSWORD_MIN_LENGTH} characters long`)
    .max(PASSWORD_MAX_LENGTH, `the new password must be at most ${PASSWORD_MAX_LENGTH} characters long`),
});
export type ChangePasswordRequest = z.infer<typeof changePasswordRequestSchema>;

/** The roles accounts created in bulk (from a scorer list) may have. */
export const bulkAccountRoleSchema = z.enum(['scorer', 'observer']);

/**
 * POST /api/users/batch (admin only): create accounts, each with a one-time password the person
 * must replace at first sign-in.
 *
 * Safe to re-send: an existing user name is reported ('exists') and never changed. The caller
 * may choose the one-time passwords itself (the desk does, so that a request whose answer was
 * lost can be sent again and still hand out the right passwords: for an account that still
 * waits for its first sign-in, `isPasswordSame` says whether the password sent is its one-time
 * password); without one the server generates it and returns it once.
 */
export const newAccountSchema = z.object({
  username: z.string().min(1).max(200),
  displayName: z.string().trim().min(1, 'the name is empty').max(100, 'the name is longer than 100 characters'),
  role: bulkAccountRoleSchema,
  /** the one-time password; absent = the server generates one */
  password: z.string().min(PASSWORD_MIN_LENGTH).max(PASSWORD_MAX_LENGTH).optional(),
});
export type NewAccount = z.infer<typeof newAccountSchema>;

export const MAX_BATCH_ACCOUNTS = 200;

export const createUsersRequestSchema = z.object({
  users: z.array(newAccountSchema).min(1).max(MAX_BATCH_ACCOUNTS),
});
export type CreateUsersRequest = z.infer<typeof createUsersRequestSchema>;

export const createdUserResultSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('created'),
    /** the user name as stored (normalised) */
    username: z.string(),
    user: userListItemSchema,
    /** only when the server generated it: shown once, never stored in clear */
    generatedPassword: z.string().optional(),
  }),
  z.object({
    status: z.literal('exists'),
    username: z.string(),
    user: userListItemSchema,
    /** the account still waits for its first sign-in, and its one-time password is the one sent */
    isPasswordSame: z.boolean(),
  }),
  z.object({
    status: z.literal('invalid'),
    /** as sent */
    username: z.string(),
    code: z.enum(['invalid_username', 'duplicate_in_request']),
    message: z.string(),
  }),
]);
export type CreatedUserResult = z.infer<typeof createdUserResultSchema>;

/** One result per requested account, in the order sent. */
export const createUsersResponseSchema = z.object({ results: z.array(createdUserResultSchema) });
export type CreateUsersResponse = z.infer<typeof createUsersResponseSchema>;
