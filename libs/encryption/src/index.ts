export { DecryptionError, isSealed, MasterKeyring } from './keyring';
export { MASTER_KEY_BYTES, masterKeyId, parseMasterKey } from './master-key';
