import type { SchemaMigration } from '../migration';
import { ControlInit0001 } from './0001-control-init.migration';
import { Outbox0002 } from './0002-outbox.migration';
import { TenantLifecycle0003 } from './0003-tenant-lifecycle.migration';
import { TenantSignups0004 } from './0004-tenant-signups.migration';
import { SttMaxAudio0005 } from './0005-stt-max-audio.migration';

/** Control-plane migrations, in order. Append only. */
export const CONTROL_MIGRATIONS: readonly SchemaMigration[] = [
  new ControlInit0001(),
  new Outbox0002(),
  new TenantLifecycle0003(),
  new TenantSignups0004(),
  new SttMaxAudio0005(),
];
