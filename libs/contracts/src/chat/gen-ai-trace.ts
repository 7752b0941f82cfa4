/**
 * The tenant feature flag that lets prompts and answers into traces (`gen_ai.input.messages`,
 * `gen_ai.output.messages` on model-call spans). Off unless the operator declares it
 * (`FEATURE_GEN_AI_TRACE_CONTENT=false`, the chart's default) and the tenant's override turns it on.
 */
export const GEN_AI_TRACE_CONTENT_FLAG = 'gen_ai_trace_content';
