import { describe, expect, it } from 'vitest';
import { renderTemplate, unknownTemplateVariables, usesTemplateVariable, utcDate } from './skill-template';

const values = { input: 'the input', 'tenant.name': 'Acme', date: '2025-03-04' };

describe('skill templates', () => {
  it('renders the three variables, with or without spaces inside the braces', () => {
    expect(renderTemplate('{{input}}|{{ tenant.name }}|{{date}}|{{  input  }}', values)).toBe(
      'the input|Acme|2025-03-04|the input',
    );
  });

  it('renders in one pass: a value that looks like a variable stays as it is', () => {
    expect(renderTemplate('Q: {{input}}', { ...values, input: '{{tenant.name}} and {{date}}' })).toBe(
      'Q: {{tenant.name}} and {{date}}',
    );
    expect(renderTemplate('{{input}}', { ...values, input: '$& $1 $$' })).toBe('$& $1 $$');
  });

  it('leaves text without placeholders, single braces and unknown placeholders alone', () => {
    expect(renderTemplate('{ input } {input} {{{input}}}', values)).toBe('{ input } {input} {the input}');
    expect(renderTemplate('{{nope}}', values)).toBe('{{nope}}');
    expect(renderTemplate('plain', values)).toBe('plain');
  });

  it('names the unknown variables once each, in order', () => {
    expect(unknownTemplateVariables('{{input}} {{user}} {{ tenant.id }} {{user}} {{Input}} {{}}')).toEqual([
      'user',
      'tenant.id',
      'Input',
      '',
    ]);
    expect(unknownTemplateVariables('{{input}} {{tenant.name}} {{date}} { x }')).toEqual([]);
  });

  it('tells whether a template uses a variable', () => {
    expect(usesTemplateVariable('Hi {{ tenant.name }}', 'tenant.name')).toBe(true);
    expect(usesTemplateVariable('Hi {{input}}', 'tenant.name')).toBe(false);
    expect(usesTemplateVariable('Hi {{input}}', 'input')).toBe(true);
  });

  it('formats the date as the UTC day', () => {
    expect(utcDate(new Date('2025-12-31T23:59:59.999Z'))).toBe('2025-12-31');
    expect(utcDate(new Date('2026-01-01T00:30:00+01:00'))).toBe('2025-12-31');
  });
});
