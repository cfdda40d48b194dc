// The public contract of @outpost/server, for the CLI and tests.
export { buildApp, bundledWebDir, defaultSettings, contentSecurityPolicy } from './http/app.js';
export type { AppDeps, AppSettings } from './http/app.js';
export { configSchema, resolveConfig, sqlitePathOf } from './config/config.js';
export type { Config, ConfigKey, ConfigResult } from './config/config.js';
export { main, loggerOptions, openConfiguredStore, settingsFrom } from './main.js';
export type { Running } from './main.js';
export * from './storage/index.js';
export { addUser, listUsers, setUserDisabled, checkNewUser } from './auth/users.js';
export type { UserView, UserResult } from './auth/users.js';
export { hashPassword } from './auth/passwords.js';
export type { Clock } from './auth/clock.js';
export { systemClock } from './auth/clock.js';
export { revokeDevice } from './auth/sessions.js';
