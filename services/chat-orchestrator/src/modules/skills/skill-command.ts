/** A message that starts with `/name` followed by whitespace or its end invokes a skill. */
const COMMAND = /^\/([a-z0-9-]{1,32})(\s|$)/;

/** What a command is made of: `/name` and `[a-z0-9-]{1,32}` (the contract's pattern). */
export { SKILL_COMMAND_PATTERN } from '@parley/contracts';

export interface ParsedCommand {
  /** With its slash, as skills store it: `/doc`. */
  command: string;
  /** The text after the command, trimmed (may be empty). */
  input: string;
}

/**
 * The command a message invokes, or null for an ordinary message. Only the very start counts:
 * ` /doc` (leading space), `/Doc` (upper case) and `/etc/hosts` (no whitespace after the name) are
 * ordinary messages.
 */
export function parseCommand(content: string): ParsedCommand | null {
  if (content.charCodeAt(0) !== 0x2f /* '/' */) return null;
  const match = COMMAND.exec(content);
  if (!match) return null;
  const name = match[1] as string;
  return { command: `/${name}`, input: content.slice(1 + name.length).trim() };
}
