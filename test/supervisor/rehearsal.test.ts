import { describe, expect, it } from 'vitest';
import { toSupervisor, type FromSupervisor } from '../../src/ipc/supervisor-messages.js';
import { runningDescendants } from '../../src/process/proc.js';
import { rehearsalInit, rehearse } from '../../src/supervisor/rehearsal.js';
import { Supervisor } from '../../src/supervisor/supervisor.js';
import { childSpec, PLACEHOLDER, sessionSpec, uniqueId } from './harness.js';

const spareOf = (session: string) => ({ session, placeholder: childSpec({ name: 'placeholder', file: PLACEHOLDER }) });

describe("a spare's rehearsal", () => {
  it('checks an init like the one a default create of the spare sends (else it would rehearse nothing)', () => {
    const spare = spareOf(uniqueId('spare'));
    const leaf = { procs: ['/sys/fs/cgroup/x/children/cgroup.procs'], freezer: null };
    for (const init of [rehearsalInit(spare), rehearsalInit({ ...spare, childrenLeaf: leaf })]) {
      const parsed = toSupervisor.safeParse({ type: 'init', init });
      expect(parsed.success).toBe(true);
      expect(parsed.success && parsed.data).toMatchObject({ type: 'init', init: { session: { id: spare.session, children: [spare.placeholder] }, logDir: null } });
    }
  });

  it("makes a start's reports with nothing started: no process, no exit", () => {
    const reports: FromSupervisor[] = [];
    const exits: number[] = [];
    const spec = sessionSpec({ children: [{ name: 'placeholder', file: PLACEHOLDER }] });
    new Supervisor(spec, { heartbeatMs: 1000, startTimeoutMs: 10_000, logDir: null }, (m) => reports.push(m), (code) => exits.push(code)).rehearse();
    expect(reports.map((m) => (m.type === 'child' ? `${m.event} ${m.child.name} ${m.child.pid}` : m.type))).toEqual(['spawned placeholder null', 'started placeholder null', 'ready']);
    expect(exits).toEqual([]);
    rehearse(spareOf(spec.id));
    expect(runningDescendants(process.pid)).toEqual([]);
  });
});
