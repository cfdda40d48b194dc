import type { RowOf, StoreName } from '../store/LocalStore.js';
import { localStoreSchema } from '../store/localStoreSchema.js';
import { VaultError, type SealContext, type Sealed, type Vault } from './Vault.js';

/**
 * The columns of each local-store row that hold case data and are sealed. Keys, indexed fields,
 * counters and states stay readable: IndexedDB must sort and query them. A new store fails to
 * compile here until someone decides what of it is sensitive.
 */
export const sealedFields = {
  records: ['data', 'pending'],
  outbox: ['payload'],
  cursors: [],
  meta: ['value'],
  attachmentsQueue: ['value'],
} as const satisfies { readonly [S in StoreName]: readonly (keyof RowOf<S>)[] };

export interface RowSealer {
  /** The row with its sensitive columns sealed; null stays null. Call before the store's transaction. */
  seal<S extends StoreName>(store: S, row: RowOf<S>): Promise<RowOf<S>>;
  /** The row with its sealed columns opened; call after the transaction has returned the rows. */
  open<S extends StoreName>(store: S, row: RowOf<S>): Promise<RowOf<S>>;
}

type Cells = Record<string, unknown>;

/**
 * Seals and opens local-store rows with the vault. The store keeps values opaque and its
 * transactions may await only its own calls (IndexedDB commits a transaction that waits on
 * anything else), so encryption happens around a transaction, never inside it:
 *
 *   const sealed = await sealer.seal('records', row);
 *   await store.transaction('readwrite', ['records', 'outbox'], (tx) => tx.put('records', [sealed]));
 *
 * Each value is bound to its store, primary key and column, so it cannot be moved to another row.
 */
export function createRowSealer(vault: Vault): RowSealer {
  function contextOf(store: StoreName, row: Cells, field: string): SealContext {
    const key = row[localStoreSchema.stores[store].key];
    if (typeof key !== 'string' && typeof key !== 'number') {
      throw new TypeError(`A ${store} row needs a string or number key to be sealed`);
    }
    return { store, key, field };
  }

  return {
    async seal(store, row) {
      const cells: Cells = { ...(row as unknown as Cells) };
      for (const field of sealedFields[store] as readonly string[]) {
        const value = cells[field];
        if (value === null || value === undefined) continue;
        const context = contextOf(store, cells, field);
        cells[field] = isBytes(value) ? await vault.encryptBytes(value, context) : await vault.encrypt(value, context);
      }
      return cells as unknown as RowOf<typeof store>;
    },

    async open(store, row) {
      const cells: Cells = { ...(row as unknown as Cells) };
      for (const field of sealedFields[store] as readonly string[]) {
        const value = cells[field];
        if (value === null || value === undefined) continue;
        const context = contextOf(store, cells, field);
        if (!isSealed(value)) {
          throw new VaultError('unreadable', `${store}/${String(context.key)}.${field} is not sealed`);
        }
        if (value.kind === 'json') cells[field] = await vault.decrypt(value, context);
        else {
          const bytes = await vault.decryptBytes(value, context);
          cells[field] = value.kind === 'blob' ? new Blob([bytes], { type: value.type ?? '' }) : bytes;
        }
      }
      return cells as unknown as RowOf<typeof store>;
    },
  };
}

function isBytes(value: unknown): value is Blob | ArrayBuffer | ArrayBufferView {
  return (
    value instanceof ArrayBuffer || ArrayBuffer.isView(value) || (typeof Blob !== 'undefined' && value instanceof Blob)
  );
}

export function isSealed(value: unknown): value is Sealed {
  if (typeof value !== 'object' || value === null) return false;
  const { v, kind, iv, ct } = value as Partial<Record<keyof Sealed, unknown>>;
  return v === 1 && (kind === 'json' || kind === 'bytes' || kind === 'blob') && iv instanceof Uint8Array && ct instanceof Uint8Array;
}
