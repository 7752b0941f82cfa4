import 'reflect-metadata';
import { runService } from '@parley/observability';
import { createAuthApp } from './create-app';

void runService('auth', process.env, createAuthApp);
