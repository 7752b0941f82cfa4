import type { TopicDefinition } from '../bus/topic-definition';
import { TenantCreateV1 } from './tenant-create/tenant-create.topic';
import { TenantCreatedV1 } from './tenant-created/tenant-created.topic';

/** Every published topic of the platform, for docs and for topic creation. */
export const ALL_TOPICS: readonly TopicDefinition[] = [TenantCreatedV1, TenantCreateV1];
