import { LOG_FILES, LOG_MAX_BYTES, type LogRotation } from '../logs/child-log.js';
import { childPreloads } from '../process/entries.js';
import type { SupervisorInit } from '../ipc/supervisor-messages.js';

/** What every supervisor's init carries besides its session and timings: the daemon's settings for children. */
export type SupervisorSettings = Required<Pick<SupervisorInit, 'logRotation' | 'nodeResolve'>>;

export function supervisorSettings(logRotation: Partial<LogRotation> = {}): SupervisorSettings {
  return {
    logRotation: { maxBytes: logRotation.maxBytes ?? LOG_MAX_BYTES, files: logRotation.files ?? LOG_FILES },
    nodeResolve: childPreloads(),
  };
}
