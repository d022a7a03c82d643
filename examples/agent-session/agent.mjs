// An LLM agent as a session child: it takes a task by `sessionctl send`, answers at once,
// publishes its progress and result (`sessionctl messages`), then exits. Added with
// `--restart temporary --significant` to a session created with `--auto-shutdown
// any_significant`, its end ends the session.
import { startChild } from 'sessiond/child';

const child = await startChild();
const { model = 'no model configured' } = child.init.llmConfig;

child.onMessage((message) => {
  if (typeof message?.task !== 'string') throw new Error('send {"task": "…"}');
  void work(message.task);
  return { accepted: message.task, model };
});

async function work(task) {
  const steps = ['plan', 'act', 'check'];
  for (const [i, step] of steps.entries()) {
    child.activity(step); // the session stays active, not idle
    child.publish('progress', { step, done: i + 1, of: steps.length });
    await new Promise((resolve) => setTimeout(resolve, 100)); // an LLM call would go here
  }
  child.publish('result', { task, answer: `done: ${task}` });
  child.exit(0); // once the result is out
}
