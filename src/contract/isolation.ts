// No imports: the supervisor's bundle may read these too.

/** Which mechanism holds an isolated session's promises: its own uid, and with --read-only or --no-network, Linux namespaces too. */
export type IsolationEnforcement = 'uid' | 'uid+namespaces';

/** `isolation` of the session JSON: what an isolated session runs as, and where. */
export interface IsolationInfo {
  readonly uid: number;
  readonly gid: number;
  readonly workDir: string;
  readonly readOnly: boolean;
  readonly network: boolean;
  readonly enforcement: IsolationEnforcement;
}

/** What the daemon keeps of an isolated session (in its spec): its info, and whether its work dir outlives it. */
export interface IsolationState extends IsolationInfo {
  readonly keepWorkdir: boolean;
}

/** The default `sessiond --uid-range`: see the README's "Running untrusted code" for why here. */
export const DEFAULT_UID_RANGE = { first: 2_000_000, last: 2_999_999 } as const;
