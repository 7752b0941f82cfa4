import 'reflect-metadata';
import { runService } from '@parley/observability';
import { createBillingApp } from './create-app';

void runService('billing', process.env, createBillingApp);
