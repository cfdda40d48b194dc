// The whole contract of the vault: the rest of the PWA imports from here, not from the files.
export type { Bytes, SealContext, Sealed, UnlockResult, Vault, VaultErrorCode, VaultStatus } from './Vault.js';
export { VaultError } from './Vault.js';
export {
  createVault,
  defaultMaxFailures,
  ivBytes,
  minimumSecretLength,
  pbkdf2Iterations,
  saltBytes,
  type VaultOptions,
} from './createVault.js';
export type { DestroyedKeys, SealedKeys, VaultKeyRecord, VaultKeyStore } from './VaultKeyStore.js';
export { createIndexedDbVaultKeyStore, vaultDatabaseName } from './indexedDbVaultKeyStore.js';
export { blindIndexToken, blindIndexTokenBytes } from './blindIndexToken.js';
export {
  activityEvents,
  createIdleLock,
  defaultIdleMinutes,
  resumeEvents,
  type ActivityEvents,
  type IdleClock,
  type IdleLock,
  type IdleLockOptions,
} from './createIdleLock.js';
export {
  knownDatabaseNames,
  wipeDevice,
  type FileSystemRoot,
  type WipeFailure,
  type WipeOptions,
  type WipeReport,
  type WipeTargets,
} from './wipeDevice.js';
export { createVaultCodec, isSealed, unboundContext, type VaultCodec } from './createVaultCodec.js';
