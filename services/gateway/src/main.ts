import 'reflect-metadata';
import { runService } from '@parley/observability';
import { createGatewayApp } from './create-app';

void runService('gateway', process.env, createGatewayApp);
