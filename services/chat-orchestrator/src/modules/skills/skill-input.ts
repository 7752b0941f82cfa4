import { DomainException, ErrorCode } from '@parley/contracts';
import { TEMPLATE_VARIABLES, unknownTemplateVariables } from './skill-template';

/** A name: trimmed, not blank. */
export function skillName(value: string): string {
  const name = value.trim();
  if (!name) throw new DomainException(ErrorCode.ValidationFailed, 'name must not be blank');
  return name;
}

/** Trimmed; blank or null means none. */
export function optionalText(value: string | null | undefined): string | null {
  const text = value?.trim();
  return text ? text : null;
}

/** The system prompt template, refused when it uses a variable that does not exist. */
export function systemPromptTemplate(value: string): string {
  if (!value.trim()) throw new DomainException(ErrorCode.ValidationFailed, 'systemPrompt must not be blank');
  // Shown back to the caller: a few, each cut short.
  const unknown = unknownTemplateVariables(value)
    .slice(0, 10)
    .map((name) => name.slice(0, 64));
  if (unknown.length > 0) {
    throw new DomainException(
      ErrorCode.ValidationFailed,
      `systemPrompt uses unknown template variables: ${unknown.map((name) => `{{${name}}}`).join(', ')} ` +
        `(known: ${TEMPLATE_VARIABLES.map((name) => `{{${name}}}`).join(', ')})`,
      { unknownVariables: unknown },
    );
  }
  return value;
}
