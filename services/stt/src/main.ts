import 'reflect-metadata';
import { runService } from '@parley/observability';
import { createSttApp } from './create-app';

void runService('stt', process.env, createSttApp);
