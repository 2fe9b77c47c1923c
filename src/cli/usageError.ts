/** A mistake in the command line or the config: exit 2, with a message naming the option and value. */
export class UsageError extends Error {}
