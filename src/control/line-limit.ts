// Apart from protocol.ts, so a client can know it without loading zod (every CLI start would pay for it).

/** A line longer than this is refused and its connection closed: nothing legitimate comes near it. */
export const MAX_LINE_BYTES = 1024 * 1024;
