import type { Argv, CommandModule } from 'yargs';
import type { StoredEvent } from '../../contract/events.js';
import { run, type GlobalArgs } from '../run.js';
import { untilInterrupted } from '../interrupt.js';
import { followOptions } from '../follow-options.js';

interface EventsArgs extends GlobalArgs {
  session?: string;
  since?: number;
  lines?: number;
  follow: boolean;
}

// seq, time, session, type, then the event's own fields as k=v.
function eventLine(event: StoredEvent): string {
  const { seq, at, session, type, ...fields } = event;
  const extra = Object.entries(fields)
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return [String(seq).padStart(6), at, session, type, ...extra].join('  ');
}

export const events: CommandModule<GlobalArgs, EventsArgs> = {
  command: 'events',
  describe: 'Lifecycle events, oldest first; --follow keeps printing new ones (of one --session: until it has ended)',
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs
      .option('session', { type: 'string', describe: 'only the events of this session' })
      .option('since', { type: 'number', describe: 'only the events after this seq (resume where you left off)' })
      .option('lines', { alias: 'n', type: 'number', describe: 'only the last N events (of --session, if given); with --follow, then the new ones' })
      .option('follow', { alias: 'f', type: 'boolean', default: false, describe: 'keep printing events as they happen, across a daemon restart (Ctrl-C stops)' })
      .check((args) => {
        if (args.since !== undefined && args.lines !== undefined) throw new Error('give --since SEQ or --lines N, not both');
        if (args.since !== undefined && (!Number.isInteger(args.since) || args.since < 0)) throw new Error('--since takes a seq: a whole number, 0 or more');
        if (args.lines !== undefined && (!Number.isInteger(args.lines) || args.lines < 0)) throw new Error('--lines takes a count: a whole number, 0 or more');
        return true;
      })
      .example('$0 events', 'every event so far: seq, time, session, type, fields')
      .example('$0 events --follow --session session_…', "one session's events as they happen, until it has ended")
      .example('$0 events --lines 20 --follow', 'the last 20 events, then the new ones')
      .example('$0 events --since 120 --json', 'the events after seq 120, one JSON object a line'),
  handler: (args) =>
    run(args, async (client) => {
      const print = (event: StoredEvent) => process.stdout.write(`${args.json ? JSON.stringify(event) : eventLine(event)}\n`);
      const options = { ...followOptions(), since: args.since ?? 0, ...(args.lines === undefined ? {} : { lines: args.lines }), follow: args.follow, ...(args.session === undefined ? {} : { session: args.session }) };
      await untilInterrupted((signal) => client.events(options, print, signal));
    }),
};
