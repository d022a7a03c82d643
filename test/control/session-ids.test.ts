import { describe, expect, it } from 'vitest';
import { resolveSessionId, type KnownSessions } from '../../src/control/session-ids.js';

const known = (ids: string[]): KnownSessions => ({ has: (id) => ids.includes(id), ids: () => ids });
const A = 'session_1f3a9c2e-0000-4000-8000-000000000001';
const B = 'session_1f3b0000-0000-4000-8000-000000000002';

describe('session id prefixes', () => {
  it.each([
    ['an exact id', A, A],
    ['a prefix of the whole id', 'session_1f3a', A],
    ['a prefix of the uuid part', '1f3a9', A],
    ['a chosen id by prefix', 'my-s', 'my-session'],
    ['nothing that matches', 'zzzz', null],
    ['fewer than 4 characters', '1f3', null],
  ])('%s', (_, text, expected) => {
    expect(resolveSessionId(text, known([A, B, 'my-session']))).toBe(expected);
  });

  it('an exact id wins over the ids it is a prefix of', () => {
    expect(resolveSessionId('demo', known(['demo', 'demo-2', 'demo-3']))).toBe('demo');
  });

  it('an ambiguous prefix is bad usage naming every candidate', () => {
    const resolve = () => resolveSessionId('1f3', known([A, B]));
    expect(resolve()).toBeNull(); // too short to be a prefix at all
    let error: unknown;
    try {
      resolveSessionId('session_1f3', known([A, B]));
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'invalid_params', message: expect.stringMatching(/ambiguous.*2 session ids/) });
    expect((error as Error).message).toContain(A);
    expect((error as Error).message).toContain(B);
  });
});
