// The streaming methods that take over their connection (src/exec); their params are src/exec/exec-params.ts.

/** The first reply on the connection; binary frames follow it (README, "Exec and attach frames"). */
export interface ExecResults {
  exec: { readonly pid: number | null };
  /** An exec's output connection: its stdout's raw bytes follow this reply, until the exec has ended. */
  'exec-output': { readonly stream: 'stdout' };
  attach: { readonly child: string; readonly pid: number };
}
