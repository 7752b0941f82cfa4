import { DomainException, ErrorCode } from '@parley/contracts';

/** Also the answer for another user's private skill and for another tenant's skill. */
export function skillNotFound(): DomainException {
  return new DomainException(ErrorCode.NotFound, 'No such skill');
}

export function skillCommandTaken(command: string): DomainException {
  return new DomainException(ErrorCode.SkillCommandTaken, `The command ${command} is already used by another skill`, {
    command,
  });
}

export function builtinSkillReadOnly(): DomainException {
  return new DomainException(ErrorCode.Forbidden, 'Built-in skills are read-only');
}

export function tenantSkillsForAdmins(): DomainException {
  return new DomainException(ErrorCode.Forbidden, 'Only owners and admins create or change tenant skills');
}

export function unknownSkill(command: string): DomainException {
  return new DomainException(ErrorCode.UnknownSkill, `No skill has the command ${command}`, { command });
}
