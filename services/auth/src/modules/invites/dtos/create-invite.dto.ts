import { IsIn, IsString, MaxLength } from 'class-validator';
import { ROLES, type Role } from '../../access-tokens/access-token.claims';

export class CreateInviteDto {
  @IsString()
  @MaxLength(254)
  email!: string;

  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role!: Role;
}
