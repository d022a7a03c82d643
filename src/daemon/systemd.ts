/**
 * How sessiond exits after `daemon restart` when its systemd unit runs it (`sessiond
 * --systemd`): the unit restarts it on this code (RestartForceExitStatus=), so the new daemon
 * is the unit's again rather than one the CLI starts outside it.
 */
export const EXIT_RESTART_REQUESTED = 76;
