export { SessionManager, type SessionManagerOptions, type CreateSessionInput } from './manager/session-manager.js';
export { SessiondError, type ErrorCode } from './contract/errors.js';
export { registryKey, SESSION_ID_PATTERN } from './contract/ids.js';
export type { SessionInfo, ChildInfo, SessionStatus, ChildStatus, ExitInfo, Strategy, RestartType } from './contract/session.js';
export type { SessionEvent, StoredEvent, EventType } from './contract/events.js';
export type { SessionSpecInput, ChildSpecInput } from './contract/spec.js';
export { SessionClient, type SessionClientOptions } from './control/client.js';
export type { DaemonStatus, Method as ControlMethod, Results as ControlResults } from './control/protocol.js';
