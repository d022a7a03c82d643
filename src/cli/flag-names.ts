import { SessiondError } from '../contract/errors.js';

/**
 * The daemon names a bad field by its place in the session spec (`maxRestarts: Too small`);
 * one the user gave as a flag is renamed as typed (`--max-restarts: Too small`). `fields` maps
 * the spec fields that came from flags to those flags.
 */
export function nameFlagsAsTyped(error: unknown, fields: ReadonlyMap<string, string>): unknown {
  if (!(error instanceof SessiondError) || error.code !== 'invalid_params' || fields.size === 0) return error;
  // A field's name opens the message or one of its `; `-separated issues, and is followed by `: `.
  const message = error.message.replace(/(^|: |; )([A-Za-z]+)(?=: )/g, (all: string, lead: string, field: string) => {
    const flag = fields.get(field);
    return flag === undefined ? all : `${lead}${flag}`;
  });
  return message === error.message ? error : new SessiondError(error.code, message, { cause: error });
}

/** `{ maxRestarts: 5 }` → `maxRestarts` → `--max-restarts`, for the fields whose flag was given. */
export function givenFlags(values: Readonly<Record<string, unknown>>): Map<string, string> {
  const flags = new Map<string, string>();
  for (const [field, value] of Object.entries(values)) {
    if (value !== undefined) flags.set(field, `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
  }
  return flags;
}
