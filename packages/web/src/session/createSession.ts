import { createSignal, type Accessor } from 'solid-js';
import { ApiProblem } from '../transport/ApiProblem.js';
import type { OutpostApi, Session, TotpEnrolment, User } from '../api/OutpostApi.js';
import type { DraftStore } from '../forms/drafts.js';
import type { LocalStore } from '../store/LocalStore.js';
import { exportUnsent } from '../store/outbox.js';
import type { ValueCodec } from '../store/ValueCodec.js';
import { createVaultCodec, type Vault } from '../vault/index.js';
import type { LastUserMemory } from './lastUserMemory.js';

/**
 * Why the user sees the sign-in screen:
 * - `destroyed`: too many wrong unlock tries destroyed the key, and the device was erased;
 * - `wiped`: the server ordered this device erased (revoked, account disabled);
 * - `expired`: the server no longer knows this session or device token;
 * - `signed-out`: the user logged out and the device was erased.
 */
export type SessionNotice = 'destroyed' | 'wiped' | 'expired' | 'signed-out';

/** What an unlocked device holds for its user: the local store and its sealing, drafts, device identity. */
export interface UnlockedDevice {
  readonly store: LocalStore;
  readonly codec: ValueCodec;
  readonly drafts: DraftStore;
  /** The server's id of this device and its token; null when the sign-in got none (2FA not yet set up). */
  readonly deviceId: string | null;
  readonly deviceToken: string | null;
}

/**
 * `unknown` until restore() has looked. `locked`: someone signed in on this device before and the
 * vault waits for their password (after a reload or the idle lock), online or not.
 * `enrolment-required`: an administrator or supervisor signed in with the password but has no
 * authenticator yet; the server answers nothing else until they enrol one.
 * `device` is there when the session model runs with a vault (the app); tests of screens may run
 * without one.
 */
export type SessionState =
  | { readonly kind: 'unknown' }
  | { readonly kind: 'anonymous'; readonly notice?: SessionNotice }
  | { readonly kind: 'locked'; readonly user: User }
  | { readonly kind: 'enrolment-required'; readonly user: User; readonly device?: UnlockedDevice }
  | { readonly kind: 'signed-in'; readonly user: User; readonly device?: UnlockedDevice };

export type UnlockOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'wrong-secret'; readonly triesLeft: number }
  /** The last allowed try was wrong: the key is gone and the device was erased. */
  | { readonly ok: false; readonly reason: 'destroyed' }
  | { readonly ok: false; readonly reason: 'not-set-up' };

/** What is on the device and not on the server: shown before logout erases it. */
export interface UnsentOnDevice {
  /** Finalized forms waiting to be sent or refused by the server (the outbox). */
  readonly outbox: number;
  /** Forms started and saved as drafts. */
  readonly drafts: number;
}

/** How the session model reaches the device: the vault, the stores, the wipe. */
export interface SessionDevice {
  readonly vault: Vault;
  /** The local store of one user (`outpost-<userId>` in the app). */
  readonly openStore: (userId: string) => LocalStore;
  /** The draft store, sealing with `codec`. */
  readonly openDrafts: (codec: ValueCodec) => DraftStore;
  readonly lastUser: LastUserMemory;
  /** Erases every storage area of the origin (wipeDevice), the user's store included. */
  readonly wipe: (userId: string | null) => Promise<void>;
  /** The name the device registers under, e.g. "Chromium · Linux · 2026-11-27". */
  readonly deviceName: () => string;
}

export interface SessionModel {
  readonly state: Accessor<SessionState>;
  /**
   * Finds out who may use the app now. With a vault this needs no network: a device someone
   * signed in on shows the unlock screen, offline too. Without one it asks the server.
   */
  restore(): Promise<void>;
  /**
   * Rejects with the ApiProblem so the login screen can show it; `auth.totp-required` means the
   * password was right and the account also needs the 6-digit code: call again with `totp`. With a
   * vault, the first sign-in on a device seals the device under this password.
   */
  /**
   * `deviceName`: what the user called this device at sign-in (the server's device list shows it);
   * without one it registers under the browser and system it runs on.
   */
  login(username: string, password: string, totp?: string, deviceName?: string): Promise<User>;
  /** True when signing in registers this device with the server (the app, with its vault). */
  readonly registersDevice: boolean;
  /** Opens the vault with the password, offline; the tenth wrong try in a row erases the device. */
  unlock(secret: string): Promise<UnlockOutcome>;
  /** A new authenticator secret for the user in `enrolment-required`. */
  startEnrolment(): Promise<TotpEnrolment>;
  /** Proves the authenticator with its current code; the session becomes `signed-in`. */
  confirmEnrolment(code: string): Promise<void>;
  /** What logout would erase that the server does not have; counts need no unlock. */
  unsentOnDevice(): Promise<UnsentOnDevice>;
  /** The rescue file of the unsent forms (needs the vault unlocked). */
  exportUnsent(): Promise<string>;
  /**
   * Ends the session on the server when it can be reached (revokes this device's token too) and
   * always erases everything on the device. The screen must have asked first when
   * unsentOnDevice() found anything.
   */
  logout(): Promise<void>;
  /**
   * The server no longer knows this session (expired, revoked): back to the sign-in screen. A
   * revoked device (`auth.device-revoked`, `auth.account-disabled`) is erased, as a wipe order.
   */
  expire(code?: string): void;
  /** Erases the device after the server ordered it (wipe directive) or the key was destroyed. */
  erase(notice: SessionNotice): Promise<void>;
  /** The device token for API requests while unlocked; null otherwise. */
  deviceToken(): string | null;
}

/** The sealed record of who signed in on this device and its credentials, in the store's meta. */
interface SessionRecord {
  readonly user: User;
  readonly deviceId: string | null;
  readonly deviceToken: string | null;
  readonly twoFactorEnrolmentRequired: boolean;
}

const sessionKey = 'session';
const sessionContext = { store: 'meta', key: sessionKey } as const;

/** A problem the device itself raises at sign-in; the login screen shows it like a server's. */
function deviceProblem(code: string, title: string): ApiProblem {
  return new ApiProblem({ type: 'about:blank', title, status: 0, code, detail: title });
}

export function createSession(api: OutpostApi, device?: SessionDevice): SessionModel {
  const [state, setState] = createSignal<SessionState>({ kind: 'unknown' });
  let unlocked: (UnlockedDevice & { readonly userId: string }) | null = null;

  const enter = (session: Session, opened?: UnlockedDevice): void => {
    const kind = session.twoFactorEnrolmentRequired === true ? 'enrolment-required' : 'signed-in';
    setState(opened === undefined ? { kind, user: session.user } : { kind, user: session.user, device: opened });
  };

  /** Lets go of the store and drafts; the data stays on the device. */
  async function closeDevice(): Promise<void> {
    const open = unlocked;
    unlocked = null;
    if (open === null) return;
    open.drafts.close();
    await open.store.close().catch(() => undefined);
  }

  async function erase(notice: SessionNotice): Promise<void> {
    if (device === undefined) {
      setState({ kind: 'anonymous', notice });
      return;
    }
    const userId = unlocked?.userId ?? device.lastUser.read()?.id ?? null;
    // The screens leave the device first, so nothing writes to a database being deleted.
    setState({ kind: 'unknown' });
    await closeDevice();
    device.vault.lock();
    await device.vault.destroy().catch(() => undefined);
    await device.wipe(userId);
    device.lastUser.clear();
    setState({ kind: 'anonymous', notice });
  }

  async function openDevice(user: User): Promise<{ opened: UnlockedDevice; record: SessionRecord | null }> {
    if (device === undefined) throw new Error('no device');
    await closeDevice();
    const store = device.openStore(user.id);
    const codec = createVaultCodec(device.vault);
    const drafts = device.openDrafts(codec);
    const row = await store.transaction('readonly', ['meta'], (tx) => tx.get('meta', sessionKey));
    const record = row === undefined ? null : ((await codec.open(row.value, sessionContext)) as SessionRecord);
    const opened: UnlockedDevice = {
      store,
      codec,
      drafts,
      deviceId: record?.deviceId ?? null,
      deviceToken: record?.deviceToken ?? null,
    };
    unlocked = { ...opened, userId: user.id };
    return { opened, record };
  }

  async function saveRecord(opened: UnlockedDevice, record: SessionRecord): Promise<UnlockedDevice> {
    const sealed = await opened.codec.seal(record, sessionContext);
    await opened.store.transaction('readwrite', ['meta'], (tx) => tx.put('meta', [{ key: sessionKey, value: sealed }]));
    const updated = { ...opened, deviceId: record.deviceId, deviceToken: record.deviceToken };
    if (unlocked !== null) unlocked = { ...updated, userId: unlocked.userId };
    return updated;
  }

  // The idle lock (or any lock) sends whoever is signed in to the unlock screen.
  device?.vault.subscribe((status) => {
    if (status !== 'locked') return;
    const current = state();
    if (current.kind !== 'signed-in' && current.kind !== 'enrolment-required') return;
    void closeDevice();
    setState({ kind: 'locked', user: current.user });
  });

  async function vaultLogin(
    vaultDevice: SessionDevice,
    username: string,
    password: string,
    totp: string | undefined,
    deviceName: string | undefined,
  ): Promise<User> {
    const { vault, lastUser } = vaultDevice;
    const remembered = lastUser.read();
    let status = await vault.status();
    if (status === 'locked' && remembered !== null && remembered.username !== username.trim().toLowerCase()) {
      // Another user's unsent work is sealed here: it may only go through their logout.
      throw deviceProblem('device.other-user', 'Another user’s data is on this device.');
    }
    if (status === 'destroyed' || (status === 'locked' && remembered === null)) {
      await erase('destroyed');
      status = 'none';
    }
    const session = await api.login(username, password, totp, { name: deviceName ?? vaultDevice.deviceName() });
    if (status === 'none') {
      await vault.setup(password);
    } else if (!vault.isUnlocked()) {
      const opened = await vault.unlock(password);
      if (!opened.ok) {
        if (opened.reason === 'destroyed') {
          await erase('destroyed');
          throw deviceProblem('device.destroyed', 'Too many wrong passwords: the data on this device was erased.');
        }
        throw deviceProblem(
          'device.old-password',
          'The data on this device is sealed with your previous password: unlock with that one.',
        );
      }
    }
    const { opened, record } = await openDevice(session.user);
    // A sign-in without a token (2FA still pending) keeps the token this device already had.
    const ready = await saveRecord(opened, {
      user: session.user,
      deviceId: session.device?.id ?? record?.deviceId ?? null,
      deviceToken: session.device?.token ?? record?.deviceToken ?? null,
      twoFactorEnrolmentRequired: session.twoFactorEnrolmentRequired === true,
    });
    lastUser.write(session.user);
    enter(session, ready);
    return session.user;
  }

  return {
    state,
    async restore() {
      if (device !== undefined) {
        const status = await device.vault.status();
        const remembered = device.lastUser.read();
        if (status === 'destroyed') await erase('destroyed');
        else if (status === 'unlocked' && unlocked !== null) return;
        else if (status === 'locked' && remembered !== null) setState({ kind: 'locked', user: remembered });
        else setState({ kind: 'anonymous' });
        return;
      }
      try {
        const session = await api.me();
        if (session) enter(session);
        else setState({ kind: 'anonymous' });
      } catch {
        setState({ kind: 'anonymous' });
      }
    },
    registersDevice: device !== undefined,
    async login(username, password, totp, deviceName) {
      if (device !== undefined) return vaultLogin(device, username, password, totp, deviceName);
      const session = await api.login(username, password, totp);
      enter(session);
      return session.user;
    },
    async unlock(secret) {
      const current = state();
      if (device === undefined || current.kind !== 'locked') return { ok: false, reason: 'not-set-up' };
      const outcome = await device.vault.unlock(secret);
      if (!outcome.ok) {
        if (outcome.reason === 'destroyed') {
          await erase('destroyed');
          return { ok: false, reason: 'destroyed' };
        }
        return outcome;
      }
      const { opened, record } = await openDevice(current.user);
      const user = record?.user ?? current.user;
      enter({ user, csrfToken: '', twoFactorEnrolmentRequired: record?.twoFactorEnrolmentRequired === true }, opened);
      return { ok: true };
    },
    startEnrolment() {
      return api.enrolTotp();
    },
    async confirmEnrolment(code) {
      const current = state();
      await api.confirmTotp(code);
      if (current.kind !== 'enrolment-required') return;
      if (current.device === undefined) {
        setState({ kind: 'signed-in', user: current.user });
        return;
      }
      const ready = await saveRecord(current.device, {
        user: current.user,
        deviceId: current.device.deviceId,
        deviceToken: current.device.deviceToken,
        twoFactorEnrolmentRequired: false,
      });
      setState({ kind: 'signed-in', user: current.user, device: ready });
    },
    async unsentOnDevice() {
      if (device === undefined) return { outbox: 0, drafts: 0 };
      const userId = unlocked?.userId ?? device.lastUser.read()?.id;
      if (userId === undefined) return { outbox: 0, drafts: 0 };
      // Counting reads only the rows' keys: it works while the vault is locked.
      const store = unlocked?.store ?? device.openStore(userId);
      const drafts = unlocked?.drafts ?? device.openDrafts(createVaultCodec(device.vault));
      try {
        return {
          outbox: await store.transaction('readonly', ['outbox'], (tx) => tx.count('outbox')),
          drafts: await drafts.count(),
        };
      } finally {
        if (unlocked === null) {
          drafts.close();
          await store.close();
        }
      }
    },
    async exportUnsent() {
      if (unlocked === null) throw new Error('Unlock the device to export its data');
      return exportUnsent(unlocked.store, { codec: unlocked.codec });
    },
    async logout() {
      const token = unlocked?.deviceToken ?? null;
      const deviceId = unlocked?.deviceId ?? null;
      try {
        // The device token outlives the cookie: revoke it too, while the server can be told.
        if (token !== null && deviceId !== null) await api.revokeDevice(deviceId).catch(() => undefined);
        await api.logout();
      } catch {
        // The cookie may already be gone (expired, server restarted) or the server unreachable:
        // erasing the device is what counts.
      } finally {
        await erase('signed-out');
      }
    },
    expire(code) {
      if (device === undefined) {
        setState({ kind: 'anonymous' });
        return;
      }
      if (code === 'auth.device-revoked' || code === 'auth.account-disabled') {
        void erase('wiped');
        return;
      }
      // The sealed data stays: signing in again as the same user opens it with the password.
      const current = state();
      if (current.kind === 'anonymous' || current.kind === 'unknown') return;
      void closeDevice();
      device.vault.lock();
      setState({ kind: 'anonymous', notice: 'expired' });
    },
    erase,
    deviceToken: () => unlocked?.deviceToken ?? null,
  };
}
