import 'reflect-metadata';
import { runService } from '@parley/observability';
import { createChatOrchestratorApp } from './create-app';

void runService('chat-orchestrator', process.env, createChatOrchestratorApp);
