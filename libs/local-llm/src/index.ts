export * from './local-model';
export * from './local-llm-server';
export * from './model-file';
export * from './prompt-template';
