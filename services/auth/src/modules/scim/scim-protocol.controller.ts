import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { SCIM_CONTENT_TYPE } from '@parley/contracts';
import { ScimErrorFilter } from './scim-error.filter';
import { serviceProviderConfig, resourceTypes } from './scim-discovery';
import { ScimTenant, ScimTokenGuard } from './scim-token.guard';
import { DeleteScimUserUseCase } from './usecases/delete-scim-user.usecase';
import { ReadScimGroupsUseCase } from './usecases/read-scim-groups.usecase';
import { ReadScimUsersUseCase } from './usecases/read-scim-users.usecase';
import { WriteScimGroupUseCase } from './usecases/write-scim-group.usecase';
import { WriteScimUserUseCase } from './usecases/write-scim-user.usecase';

type ListQuery = { filter?: string; startIndex?: string; count?: string; excludedAttributes?: string };

/** SCIM 2.0 (RFC 7644) for the tenant of the bearer token: Users, Groups, and discovery. */
@Controller('scim/v2')
@UseGuards(ScimTokenGuard)
@UseFilters(ScimErrorFilter)
export class ScimProtocolController {
  constructor(
    private readonly readUsers: ReadScimUsersUseCase,
    private readonly writeUser: WriteScimUserUseCase,
    private readonly deleteUser: DeleteScimUserUseCase,
    private readonly readGroups: ReadScimGroupsUseCase,
    private readonly writeGroup: WriteScimGroupUseCase,
  ) {}

  @Get('ServiceProviderConfig')
  @Header('content-type', SCIM_CONTENT_TYPE)
  config() {
    return serviceProviderConfig();
  }

  @Get('ResourceTypes')
  @Header('content-type', SCIM_CONTENT_TYPE)
  types() {
    return resourceTypes();
  }

  @Get('Users')
  @Header('content-type', SCIM_CONTENT_TYPE)
  listUsers(@ScimTenant() tenantId: string, @Query() query: ListQuery) {
    return this.readUsers.list(tenantId, query);
  }

  @Post('Users')
  @HttpCode(201)
  @Header('content-type', SCIM_CONTENT_TYPE)
  createUser(@ScimTenant() tenantId: string, @Body() body: unknown) {
    return this.writeUser.create(tenantId, body);
  }

  @Get('Users/:id')
  @Header('content-type', SCIM_CONTENT_TYPE)
  getUser(@ScimTenant() tenantId: string, @Param('id') id: string) {
    return this.readUsers.get(tenantId, id);
  }

  @Put('Users/:id')
  @Header('content-type', SCIM_CONTENT_TYPE)
  replaceUser(@ScimTenant() tenantId: string, @Param('id') id: string, @Body() body: unknown) {
    return this.writeUser.replace(tenantId, id, body);
  }

  @Patch('Users/:id')
  @Header('content-type', SCIM_CONTENT_TYPE)
  patchUser(@ScimTenant() tenantId: string, @Param('id') id: string, @Body() body: unknown) {
    return this.writeUser.patch(tenantId, id, body);
  }

  @Delete('Users/:id')
  @HttpCode(204)
  removeUser(@ScimTenant() tenantId: string, @Param('id') id: string) {
    return this.deleteUser.execute(tenantId, id);
  }

  @Get('Groups')
  @Header('content-type', SCIM_CONTENT_TYPE)
  listGroups(@ScimTenant() tenantId: string, @Query() query: ListQuery) {
    return this.readGroups.list(tenantId, query);
  }

  @Post('Groups')
  @HttpCode(201)
  @Header('content-type', SCIM_CONTENT_TYPE)
  createGroup(@ScimTenant() tenantId: string, @Body() body: unknown) {
    return this.writeGroup.create(tenantId, body);
  }

  @Get('Groups/:id')
  @Header('content-type', SCIM_CONTENT_TYPE)
  getGroup(@ScimTenant() tenantId: string, @Param('id') id: string, @Query('excludedAttributes') excluded?: string) {
    return this.readGroups.get(tenantId, id, excluded);
  }

  @Put('Groups/:id')
  @Header('content-type', SCIM_CONTENT_TYPE)
  replaceGroup(@ScimTenant() tenantId: string, @Param('id') id: string, @Body() body: unknown) {
    return this.writeGroup.replace(tenantId, id, body);
  }

  @Patch('Groups/:id')
  @Header('content-type', SCIM_CONTENT_TYPE)
  patchGroup(@ScimTenant() tenantId: string, @Param('id') id: string, @Body() body: unknown) {
    return this.writeGroup.patch(tenantId, id, body);
  }

  @Delete('Groups/:id')
  @HttpCode(204)
  removeGroup(@ScimTenant() tenantId: string, @Param('id') id: string) {
    return this.writeGroup.delete(tenantId, id);
  }
}
