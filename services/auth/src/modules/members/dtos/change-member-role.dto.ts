import { IsIn } from 'class-validator';
import { ROLES, type Role } from '../../access-tokens/access-token.claims';

export class ChangeMemberRoleDto {
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role!: Role;
}
