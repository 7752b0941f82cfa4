import 'reflect-metadata';
import { runService } from '@parley/observability';
import { createTenantApp } from './create-app';

void runService('tenant', process.env, createTenantApp);
