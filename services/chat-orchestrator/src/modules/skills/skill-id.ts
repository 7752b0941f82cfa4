const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether a path id can name a stored skill (anything else is simply not found, never a database error). */
export function isStoredSkillId(id: string): boolean {
  return UUID.test(id);
}
