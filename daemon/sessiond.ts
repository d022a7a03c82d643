#!/usr/bin/env node
// sessiond: the daemon, in the foreground. `sessionctl daemon start` runs it detached.
import { parseArgs } from 'node:util';
import { errorMessage, SessiondError } from '../src/contract/errors.js';
import { EXIT_ALREADY_RUNNING } from '../src/contract/paths.js';
import { startDaemon } from '../src/daemon/daemon.js';

const USAGE = `Usage: sessiond [--home DIR] [--idle-timeout-ms MS] [--heartbeat-ms MS]
                [--keep-terminated N] [--keep-days D] [--warm-supervisors N]
                [--cgroups auto|off] [--max-sessions N]

Runs the sessiond daemon in the foreground on a state dir (default: $SESSIOND_HOME,
else $XDG_STATE_HOME/sessiond, else ~/.local/state/sessiond). It brings back the
sessions the last daemon left active or idle. SIGTERM or SIGINT terminates every
session, then exits 0. Most people use 'sessionctl daemon start'.

  --idle-timeout-ms MS   a session with no child activity for MS becomes idle (default 300000)
  --heartbeat-ms MS      ping period of supervisors and children; 3 missed pongs = hung (default 1000)
  --keep-terminated N    terminated sessions kept in the store (default 1000)
  --keep-days D          ... and for how long (default 7)
  --warm-supervisors N   supervisors kept spawned ahead of need (default 0): with 1, a create
                         costs one Node start-up instead of two, for one idle spare process
  --cgroups auto|off     auto (default): a cgroup per session where the host allows it (limits,
                         freezer, a stop that reaches every process); off: none, memoryMax is
                         then sampled by the daemon and cpuMax / maxProcesses are refused
  --max-sessions N       a create past N sessions not yet terminated fails (code capacity)`;

function positive(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new Error(`--${name} takes a positive number, not ${JSON.stringify(value)}`);
  return number;
}

let options: Parameters<typeof startDaemon>[0];
try {
  const { values } = parseArgs({
    options: {
      home: { type: 'string' },
      'idle-timeout-ms': { type: 'string' },
      'heartbeat-ms': { type: 'string' },
      'keep-terminated': { type: 'string' },
      'keep-days': { type: 'string' },
      'warm-supervisors': { type: 'string' },
      cgroups: { type: 'string' },
      'max-sessions': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const keepDays = positive('keep-days', values['keep-days']);
  const maxTerminated = positive('keep-terminated', values['keep-terminated']);
  const cgroups = values.cgroups ?? 'auto';
  if (cgroups !== 'auto' && cgroups !== 'off') throw new Error(`--cgroups takes auto or off, not ${JSON.stringify(cgroups)}`);
  const maxSessions = positive('max-sessions', values['max-sessions']);
  if (maxSessions !== undefined && !Number.isInteger(maxSessions)) throw new Error(`--max-sessions takes a whole number, not ${maxSessions}`);
  options = {
    home: values.home,
    idleTimeoutMs: positive('idle-timeout-ms', values['idle-timeout-ms']),
    heartbeatMs: positive('heartbeat-ms', values['heartbeat-ms']),
    warmSupervisors: positive('warm-supervisors', values['warm-supervisors']),
    cgroups,
    maxSessions,
    retention: {
      ...(maxTerminated === undefined ? {} : { maxTerminated }),
      ...(keepDays === undefined ? {} : { maxAgeMs: keepDays * 86_400_000 }),
    },
  };
} catch (error) {
  console.error(`sessiond: ${errorMessage(error)}\n\n${USAGE}`);
  process.exit(2);
}

try {
  const daemon = await startDaemon(options);
  console.log(`sessiond ${daemon.pid} listening on ${daemon.socket}`);
} catch (error) {
  console.error(`sessiond: ${errorMessage(error)}`);
  process.exit(error instanceof SessiondError && error.code === 'already_exists' ? EXIT_ALREADY_RUNNING : 1);
}
