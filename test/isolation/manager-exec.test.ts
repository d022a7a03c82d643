import { statSync } from 'node:fs';
import { expect, it } from 'vitest';
import { Harness } from '../manager/harness.js';
import { expectNothingIsolatedLeft, requireIsolationHost } from './harness.js';

// SessionManager's exec in an isolated session (no daemon): the connection its supervisor serves
// is handed to a process of another uid, and the command runs as the session's user in its work dir.
it('SessionManager.exec runs as the isolated session user, in its work dir; nothing of it is left after shutdown', { timeout: 120_000 }, async () => {
  requireIsolationHost();
  const h = new Harness({ warmSupervisors: 0 });
  let uid: number | undefined;
  try {
    const id = await h.manager.createSession({ isolate: true });
    const { isolation } = await h.manager.getSessionInfo(id);
    uid = isolation!.uid;
    expect(statSync(isolation!.workDir).uid).toBe(uid);
    expect(await h.manager.exec(id, ['sh', '-c', 'id -u; pwd'])).toEqual({ code: 0, signal: null, timedOut: false, stdout: `${uid}\n${isolation!.workDir}\n`, stderr: '' });
  } finally {
    await h.close().finally(() => expectNothingIsolatedLeft(h.home.dir, uid === undefined ? [] : [uid]));
  }
});
