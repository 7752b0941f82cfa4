import type { SchemaMigration } from '../migration';
import { ControlInit0001 } from './0001-control-init.migration';
import { Outbox0002 } from './0002-outbox.migration';

/** Control-plane migrations, in order. Append only. */
export const CONTROL_MIGRATIONS: readonly SchemaMigration[] = [new ControlInit0001(), new Outbox0002()];
