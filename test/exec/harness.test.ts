import { describe, expect, it } from 'vitest';
import { daemonsOf, harnesses } from '../cli/harness.js';
import { sessionWithClient } from './harness.js';

describe('sessionWithClient', () => {
  it('leaves no daemon behind when its session fails to start', async () => {
    const first = harnesses.made().length;
    await expect(sessionWithClient('never', [{ name: 'x', command: '' }])).rejects.toMatchObject({ code: 'invalid_params' });
    const [made] = harnesses.made().slice(first);
    expect(made).toBeDefined();
    expect(daemonsOf(made!.home)).toEqual([]);
    expect(harnesses.open()).not.toContain(made);
  });
});
