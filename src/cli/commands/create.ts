import type { Argv, CommandModule } from 'yargs';
import { resolve } from 'node:path';
import { hideBin } from 'yargs/helpers';
import { buildCreateInput, childFlagsInOrder } from '../create-input.js';
import { givenFlags, nameFlagsAsTyped } from '../flag-names.js';
import { run, print, type GlobalArgs } from '../run.js';

interface CreateArgs extends GlobalArgs {
  id?: string;
  metadata?: string[];
  'llm-config'?: string;
  child?: string[];
  command?: string[];
  spec?: string;
  strategy?: string;
  'max-restarts'?: number;
  'max-seconds'?: number;
  'memory-max'?: string;
  'cpu-max'?: string;
  'max-processes'?: string;
  'ttl-ms'?: string;
  'idle-terminate-ms'?: string;
  cwd?: string;
  'auto-shutdown'?: string;
  node?: string;
  isolate?: boolean;
  'read-only'?: boolean;
  network?: boolean;
  'keep-workdir'?: boolean;
}

const SPEC_FORMAT = `Spec file (--spec FILE): one JSON object, every key optional, e.g.
  {
    "id": "demo",
    "strategy": "rest_for_one",
    "maxRestarts": 3, "maxSeconds": 5,
    "metadata": { "task": "fix-bug" },
    "children": [
      { "name": "agent", "file": "./agent.mjs", "restart": "transient" },
      { "name": "web", "command": "python3", "args": ["-m", "http.server", "8080"],
        "env": { "PORT": "8080" }, "shutdownMs": 2000 }
    ]
  }
A child has "file" (a Node module, relative to the spec file) or "command" (one executable, looked up in PATH and never split: its arguments go in "args"); "restart" is permanent (default), transient or temporary; "shutdownMs" is its SIGTERM-to-SIGKILL grace (default 5000); "cwd" where it runs (relative to the spec file; default --cwd, else this working directory); "significant": true (transient or temporary children only) makes its end count for "autoShutdown" (never, any_significant, all_significant). --child and --command add children after the spec's; other flags override its keys. "llmConfig" (or --llm-config @FILE) reaches the children over IPC only, never argv or env.`;

export const create: CommandModule<GlobalArgs, CreateArgs> = {
  command: 'create',
  describe: 'Start a session; prints its id once every child is ready',
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs
      .option('id', { type: 'string', describe: 'session id (default session_<uuid>)' })
      .option('metadata', { type: 'string', array: true, describe: 'metadata K=V (string value); repeatable' })
      .option('llm-config', { type: 'string', describe: 'LLM config: a JSON object, @FILE, or - (stdin); secrets go to processes over IPC only' })
      .option('child', { type: 'string', array: true, describe: 'a Node module child NAME=FILE; repeatable' })
      .option('command', { type: 'string', array: true, describe: 'an executable child NAME=CMDLINE (split as a shell would, run without one); repeatable' })
      .option('spec', { type: 'string', describe: 'JSON spec file (format below); flags beside it override it, children add to it' })
      .option('strategy', { type: 'string', choices: ['one_for_one', 'one_for_all', 'rest_for_one'], describe: 'restart strategy' })
      .option('max-restarts', { type: 'number', describe: 'restart intensity: at most N restarts…' })
      .option('max-seconds', { type: 'number', describe: '…within S seconds' })
      .option('memory-max', { type: 'string', describe: 'memory of the session\'s processes together: bytes, or 512M, 2G' })
      .option('cpu-max', { type: 'string', describe: 'CPU in percent of one core (150: one and a half cores); needs a cgroup' })
      .option('max-processes', { type: 'string', describe: 'tasks (processes and threads) at once; needs a cgroup' })
      .option('ttl-ms', { type: 'string', describe: 'terminate the session N ms after its create' })
      .option('idle-terminate-ms', { type: 'string', describe: 'terminate the session after N ms without child activity' })
      .option('cwd', { type: 'string', describe: 'where every child without a "cwd" of its own runs (default: this working directory)' })
      .option('auto-shutdown', { type: 'string', choices: ['never', 'any_significant', 'all_significant'], describe: 'end the session when any (all) significant children have exited for good' })
      .option('node', { type: 'string', describe: 'with --cluster: the node to start it on (default: the node with the most room)' })
      .option('isolate', { type: 'boolean', describe: 'run the session under a user of its own, in a work dir of its own, with a clean environment (--no-isolate: not, whatever sessiond --isolate says)' })
      .option('read-only', { type: 'boolean', describe: 'the file system is read-only for the session but its work dir and a private /tmp (implies --isolate; needs bwrap)' })
      .option('network', { type: 'boolean', describe: '--no-network: no network but a loopback of its own (implies --isolate; needs bwrap)' })
      .option('keep-workdir', { type: 'boolean', describe: "keep an isolated session's work dir once it is terminated" })
      .example('$0 create --isolate --read-only --no-network --command "agent=python3 agent.py"', 'untrusted code: its own user, a read-only system, no network')
      .example('$0 create --memory-max 512M --cpu-max 50 --ttl-ms 3600000', 'a bounded session that lives at most an hour')
      .example('$0 create', 'a session running the Placeholder')
      .example('id=$($0 create --metadata task=demo)', 'keep the id in a shell variable')
      .example("$0 create --child agent=./agent.mjs --command 'web=python3 -m http.server 8080'", 'a Node child and a command child')
      .example('$0 create --spec session.json --id my-session --json', 'from a spec file, printing the session JSON')
      .example('$0 create --cwd ~/project --auto-shutdown any_significant', 'children run in ~/project; the session ends when a significant child is done')
      .example('$0 create --llm-config @llm.json', 'LLM config (an API key, say) from a file: never in argv or shell history')
      .epilog(SPEC_FORMAT) as unknown as Argv<CreateArgs>,
  handler: (args) =>
    run(args, async (client) => {
      const flags = { id: args.id, strategy: args.strategy, maxRestarts: args['max-restarts'], maxSeconds: args['max-seconds'], autoShutdown: args['auto-shutdown'] };
      const limits = { memoryMax: args['memory-max'], cpuMax: args['cpu-max'], maxProcesses: args['max-processes'], ttlMs: args['ttl-ms'], idleTerminateMs: args['idle-terminate-ms'] };
      const isolation = { isolate: args.isolate, readOnly: args['read-only'], network: args.network, keepWorkdir: args['keep-workdir'] };
      const input = buildCreateInput({ ...flags, metadata: args.metadata, llmConfig: args['llm-config'], children: childFlagsInOrder(hideBin(process.argv)), spec: args.spec, limits, isolation }, process.cwd());
      // Files given as flags resolve against this directory (above); --cwd is only where the children run.
      const cwd = args.cwd === undefined ? undefined : resolve(args.cwd);
      const session = await client.create(args.node === undefined ? input : { ...input, node: args.node }, cwd).catch((error: unknown) => {
        throw nameFlagsAsTyped(error, givenFlags({ ...flags, ...limits }));
      });
      print(args, session, () => session.id);
    }),
};
