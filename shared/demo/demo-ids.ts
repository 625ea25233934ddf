/**
 * How demo records are recognised, in a module of its own (no zod, no table import) so that the
 * app's main bundle can tell demo tours and demo people apart without loading the demo builder.
 */

const demoUserIdPrefix = 'demo-user-';

/** Demo accounts have fixed user ids so that the server and every laptop agree on them. */
export function demoUserId(username: string): string {
  return `${demoUserIdPrefix}${username}`;
}

/** Whether a user id is a demo account's (评委甲…, 秘书处（演示）). */
export function isDemoUserId(userId: string): boolean {
  return userId.startsWith(demoUserIdPrefix);
}
