/**
 * Login names: normalised before they are stored or looked up (the rules live in shared/, where
 * the desk uses them too when it proposes names for new accounts).
 */
export { normalizeUsername, usernameSchema } from '@shared/domain/usernames';
