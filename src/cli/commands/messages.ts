import type { Argv, CommandModule } from 'yargs';
import type { PublishedMessage } from '../../manager/message-log.js';
import { followOptions } from '../follow-options.js';
import { untilInterrupted } from '../interrupt.js';
import { run, type GlobalArgs } from '../run.js';

interface MessagesArgs extends GlobalArgs {
  session?: string;
  follow: boolean;
}

export const messages: CommandModule<GlobalArgs, MessagesArgs> = {
  command: 'messages',
  describe: 'What Node children published (the last 1000 of each session, kept in memory only), one JSON object a line',
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs
      .option('session', { type: 'string', describe: 'only the messages of this session' })
      .option('follow', { alias: 'f', type: 'boolean', default: false, describe: 'keep printing messages as they are published, across a daemon restart (Ctrl-C stops)' })
      .example('$0 messages', '{ "at", "session", "child", "topic", "data" } for every message kept, oldest first')
      .example('$0 messages --session session_… --follow', "one session's messages as they come")
      .example("$0 messages --follow | jq -c 'select(.topic == \"result\") | .data'", 'the data of one topic') as unknown as Argv<MessagesArgs>,
  handler: (args) =>
    run(args, async (client) => {
      const print = ({ at, session, child, topic, data }: PublishedMessage) => process.stdout.write(`${JSON.stringify({ at, session, child, topic, data })}\n`);
      const options = { ...followOptions(), follow: args.follow, ...(args.session === undefined ? {} : { session: args.session }) };
      await untilInterrupted((signal) => client.messages(options, print, signal));
    }),
};
