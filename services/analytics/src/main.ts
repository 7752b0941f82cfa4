import 'reflect-metadata';
import { runService } from '@parley/observability';
import { createAnalyticsApp } from './create-app';

void runService('analytics', process.env, createAnalyticsApp);
