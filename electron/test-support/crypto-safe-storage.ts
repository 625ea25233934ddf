/**
 * A stand-in for Electron's safeStorage that really encrypts: AES-256-GCM with a key held in
 * memory (what the OS keychain holds for the real one). Tampered or foreign ciphertext fails to
 * decrypt, as it does with the real one, so tests of the session keychain can fail for real.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SafeStorageLike } from '../session/session-keychain';

export interface CryptoSafeStorage extends SafeStorageLike {
  /** what isAsyncEncryptionAvailable answers */
  isAvailable: boolean;
  /** what getSelectedStorageBackend answers (Linux) */
  backend: string;
  /** the keychain's key changes (a reset keyring): older files no longer decrypt */
  rotateKey(): void;
  /** the next decrypt asks for re-encryption (the OS moved to a new key version) */
  askReEncryptOnce(): void;
  encryptions: number;
}

export function createCryptoSafeStorage(options: { isAvailable?: boolean; backend?: string } = {}): CryptoSafeStorage {
  let key = randomBytes(32);
  let reEncrypt = false;
  const storage: CryptoSafeStorage = {
    isAvailable: options.isAvailable ?? true,
    backend: options.backend ?? 'gnome_libsecret',
    encryptions: 0,
    rotateKey() {
      key = randomBytes(32);
    },
    askReEncryptOnce() {
      reEncrypt = true;
    },
    isAsyncEncryptionAvailable: async () => storage.isAvailable,
    getSelectedStorageBackend: () => storage.backend,
    async encryptStringAsync(plainText) {
      if (!storage.isAvailable) throw new Error('Error while encrypting the text provided to safeStorage.encryptString. Encryption is not available.');
      storage.encryptions++;
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from('v10'), iv, cipher.getAuthTag(), body]);
    },
    async decryptStringAsync(encrypted) {
      if (encrypted.subarray(0, 3).toString() !== 'v10') throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      const iv = encrypted.subarray(3, 15);
      const tag = encrypted.subarray(15, 31);
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAuthTag(tag);
      const result = Buffer.concat([decipher.update(encrypted.subarray(31)), decipher.final()]).toString('utf8');
      const shouldReEncrypt = reEncrypt;
      reEncrypt = false;
      return { result, shouldReEncrypt };
    },
  };
  return storage;
}
