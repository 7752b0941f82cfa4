/** The variables a skill's system prompt may use. */
export const TEMPLATE_VARIABLES = ['input', 'tenant.name', 'date'] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

export type TemplateValues = Record<TemplateVariable, string>;

/** `{{ name }}`: a name of anything but braces, spaces around it allowed. */
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

function isVariable(name: string): name is TemplateVariable {
  return (TEMPLATE_VARIABLES as readonly string[]).includes(name);
}

/** The placeholders of a template that are not variables (in order of appearance, once each). */
export function unknownTemplateVariables(template: string): string[] {
  const unknown = new Set<string>();
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1] as string;
    if (!isVariable(name)) unknown.add(name);
  }
  return [...unknown];
}

/** Which variables a template uses: lets a caller skip reading a value nobody asked for. */
export function usesTemplateVariable(template: string, variable: TemplateVariable): boolean {
  for (const match of template.matchAll(PLACEHOLDER)) {
    if (match[1] === variable) return true;
  }
  return false;
}

/**
 * Replaces every variable in one pass, so a value is never expanded again: a user's input that
 * contains `{{tenant.name}}` stays as typed. An unknown placeholder (only possible for templates
 * stored before a variable was retired) is left as it is.
 */
export function renderTemplate(template: string, values: TemplateValues): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => (isVariable(name) ? values[name] : whole));
}

/** `{{date}}`: the UTC day, YYYY-MM-DD. */
export function utcDate(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}
