import { availableParallelism } from 'node:os';
import type { Llama, LlamaContext, LlamaContextSequence, LlamaModel } from 'node-llama-cpp';
import { completionPrompt, conversationLength, STOP_SEQUENCES, type ChatTurn } from './prompt-template';

export interface LocalModelOptions {
  /** The GGUF file. */
  modelPath: string;
  /** CPU threads for evaluation (default: all cores but one, at least 1: the platform runs beside it). */
  threads?: number;
  /** Tokens of prompt and answer together (default 2048). */
  contextSize?: number;
  /** The most tokens one answer may have, whatever a request asks (default 256). */
  maxTokens?: number;
  /** Requests waiting for the model beyond the one it is answering (default 16); more are refused. */
  maxQueue?: number;
}

export interface GenerateRequest {
  turns: readonly ChatTurn[];
  /** Capped at the model's maxTokens. */
  maxTokens?: number;
  temperature?: number;
  signal?: AbortSignal;
  /** Each piece of the answer as it is generated (no blank space before or after the answer). */
  onText?: (text: string) => void;
}

export interface GenerateResult {
  text: string;
  promptTokens: number;
  completionTokens: number;
  finishReason: 'stop' | 'length';
  aborted: boolean;
}

export type LocalModelErrorCode = 'busy' | 'context_length_exceeded' | 'closed';

export class LocalModelError extends Error {
  constructor(
    readonly code: LocalModelErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'LocalModelError';
  }
}

/**
 * One GGUF model on the CPU through node-llama-cpp's prebuilt binary (`build: "never"`, no GPU),
 * answering chat turns with a completion prompt (prompt-template.ts). One answer at a time (one
 * context sequence); up to maxQueue requests wait their turn in order, more are refused (`busy`).
 */
export class LocalModel {
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;
  private closed = false;

  private constructor(
    private readonly llama: Llama,
    private readonly model: LlamaModel,
    private readonly context: LlamaContext,
    private readonly sequence: LlamaContextSequence,
    readonly maxTokens: number,
    private readonly maxQueue: number,
  ) {}

  static async load(options: LocalModelOptions): Promise<LocalModel> {
    // node-llama-cpp is ESM with top-level await: a real dynamic import (see this lib's .swcrc).
    const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
    const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
    const model = await llama.loadModel({ modelPath: options.modelPath });
    const context = await model.createContext({
      contextSize: options.contextSize ?? 2048,
      threads: options.threads ?? defaultThreads(),
      sequences: 1,
    });
    return new LocalModel(
      llama,
      model,
      context,
      context.getSequence(),
      options.maxTokens ?? 256,
      options.maxQueue ?? 16,
    );
  }

  get contextSize(): number {
    return this.context.contextSize;
  }

  countTokens(text: string): number {
    return this.model.tokenize(text).length;
  }

  /** Answers in turn: waits for the answers before it, refuses with `busy` when too many wait. */
  generate(request: GenerateRequest): Promise<GenerateResult> {
    if (this.closed) return Promise.reject(new LocalModelError('closed', 'the local model is shut down'));
    if (this.waiting >= this.maxQueue) {
      return Promise.reject(new LocalModelError('busy', `the local model has ${this.waiting} requests waiting`));
    }
    this.waiting += 1;
    const run = this.tail.then(() => {
      this.waiting -= 1;
      return this.run(request);
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.tail;
    await this.context.dispose();
    await this.model.dispose();
    await this.llama.dispose();
  }

  private async run(request: GenerateRequest): Promise<GenerateResult> {
    const maxTokens = Math.max(1, Math.min(request.maxTokens ?? this.maxTokens, this.maxTokens));
    const { prompt, promptTokens } = this.fit(request.turns, maxTokens);
    const aborted = () => request.signal?.aborted === true;
    if (aborted()) return { text: '', promptTokens, completionTokens: 0, finishReason: 'stop', aborted: true };
    const { LlamaCompletion } = await import('node-llama-cpp');
    const completion = new LlamaCompletion({ contextSequence: this.sequence, autoDisposeSequence: false });
    let completionTokens = 0;
    let text = '';
    let pending = '';
    try {
      const result = await completion.generateCompletionWithMeta(prompt, {
        maxTokens,
        temperature: request.temperature ?? 0.7,
        topP: 0.9,
        repeatPenalty: { penalty: 1.15, lastTokens: 64 },
        customStopTriggers: STOP_SEQUENCES,
        trimWhitespaceSuffix: true,
        signal: request.signal,
        stopOnAbortSignal: true,
        onToken: (tokens) => {
          completionTokens += tokens.length;
        },
        onTextChunk: (chunk) => {
          // Blank space is held back until text follows it: an answer neither starts nor ends with it.
          const full = pending + (text.length === 0 ? chunk.trimStart() : chunk);
          const piece = full.trimEnd();
          pending = full.slice(piece.length);
          if (piece.length === 0) return;
          text += piece;
          request.onText?.(piece);
        },
      });
      return {
        text,
        promptTokens,
        completionTokens,
        finishReason: result.metadata.stopReason === 'maxTokens' ? 'length' : 'stop',
        aborted: result.metadata.stopReason === 'abort' || aborted(),
      };
    } finally {
      completion.dispose();
    }
  }

  /** The prompt with as much of the conversation as leaves room for the answer (oldest turns go first). */
  private fit(turns: readonly ChatTurn[], maxTokens: number): { prompt: string; promptTokens: number } {
    const budget = this.contextSize - maxTokens;
    const length = conversationLength(turns);
    for (let keepFrom = 0; keepFrom < Math.max(length, 1); keepFrom += 1) {
      const prompt = completionPrompt(turns, keepFrom);
      const promptTokens = this.countTokens(prompt);
      if (promptTokens <= budget) return { prompt, promptTokens };
    }
    throw new LocalModelError(
      'context_length_exceeded',
      `the last message does not fit the local model's context of ${this.contextSize} tokens with ${maxTokens} for the answer`,
    );
  }
}

/** All cores but one (at least one): on a shared machine, more threads than free cores make llama.cpp crawl. */
export function defaultThreads(): number {
  return Math.max(1, availableParallelism() - 1);
}
