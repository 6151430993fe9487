/**
 * The model catalogue `GET /api/v1/models` lists, and the price of any model a chat asks for.
 * Ids and prices follow NanoGPT's Models doc (provider-prefixed ids, the docs' `gpt-4.1-nano`);
 * the figures are the mock's own [mock]. Prices are USD per million tokens [pub: pricing.unit].
 */
export interface ModelPrice {
  /** USD per million input tokens. */
  prompt: number;
  /** USD per million output tokens. */
  completion: number;
}

export interface CatalogueModel {
  id: string;
  owned_by: string;
  name: string;
  description: string;
  context_length: number;
  max_output_tokens: number;
  pricing: ModelPrice;
}

const model = (
  id: string,
  owner: string,
  name: string,
  description: string,
  contextLength: number,
  maxOutput: number,
  prompt: number,
  completion: number,
): CatalogueModel => ({
  id,
  owned_by: owner,
  name,
  description,
  context_length: contextLength,
  max_output_tokens: maxOutput,
  pricing: { prompt, completion },
});

/** In catalogue order (the order of an unsorted list). Free models cost 0 and are never capped. */
export const CATALOGUE: readonly CatalogueModel[] = [
  model('gpt-4o-mini', 'openai', 'GPT-4o mini', "OpenAI's affordable small model for fast, lightweight tasks", 128_000, 16_384, 0.15, 0.6),
  model('gpt-4.1-nano', 'openai', 'GPT-4.1 nano', "OpenAI's fastest, cheapest GPT-4.1 model", 1_047_576, 32_768, 0.1, 0.4),
  model('gpt-4.1-mini', 'openai', 'GPT-4.1 mini', 'A small, fast GPT-4.1 model', 1_047_576, 32_768, 0.4, 1.6),
  model('openai/gpt-5.2', 'openai', 'GPT-5.2', "OpenAI's flagship general-purpose model", 400_000, 128_000, 1.25, 10),
  model('anthropic/claude-sonnet-4.6', 'anthropic', 'Claude Sonnet 4.6', "Anthropic's balanced model for coding and writing", 200_000, 64_000, 3, 15),
  model('anthropic/claude-opus-4.6', 'anthropic', 'Claude Opus 4.6', "Anthropic's top-tier model for deep reasoning and writing", 200_000, 32_000, 15, 75),
  model('google/gemini-3-flash-preview', 'google', 'Gemini 3 Flash Preview', "Google's fast multimodal model", 1_048_576, 65_536, 0.5, 3),
  model('deepseek/deepseek-v3.2', 'deepseek', 'DeepSeek V3.2', "DeepSeek's general chat model", 163_840, 65_536, 0.28, 0.42),
  model('moonshotai/kimi-k2.5', 'moonshotai', 'Kimi K2.5', "Moonshot's long-context agentic model", 262_144, 65_536, 0.6, 2.5),
  model('claude-3-5-haiku-20241022', 'anthropic', 'Claude 3.5 Haiku', "Anthropic's fastest Claude 3.5 model", 200_000, 8_192, 0.8, 4),
  model('deepseek-chat', 'deepseek', 'DeepSeek V3', 'DeepSeek chat (legacy id)', 64_000, 8_192, 0.27, 1.1),
  model('meta-llama/llama-3.3-70b-instruct:free', 'meta-llama', 'Llama 3.3 70B Instruct (free)', 'A free open-weights model', 131_072, 8_192, 0, 0),
  model('nano-mock-echo', 'nanogpt', 'Mock echo (free)', 'The mock answers by quoting your last message; free', 8_192, 2_048, 0, 0),
];

/** What a well-formed model id not in the catalogue costs [mock]. */
export const DEFAULT_PRICE: ModelPrice = { prompt: 1, completion: 4 };

const BY_ID = new Map(CATALOGUE.map((entry) => [entry.id, entry]));

export function catalogueModel(id: string): CatalogueModel | undefined {
  return BY_ID.get(id);
}

/** Ids as apps send them: `provider/name`, variants after `:` (`…:thinking`, `…:online`), versions with dots [mock]. */
const MODEL_ID = /^[A-Za-z0-9][\w.:/@+-]{0,199}$/;

export const isWellFormedModelId = (id: string): boolean => MODEL_ID.test(id);

export function priceOf(id: string): ModelPrice {
  return catalogueModel(id)?.pricing ?? DEFAULT_PRICE;
}

/** The public label usage reports name a model by [pub: "model values are public model labels"]. */
export function modelLabel(id: string): string {
  return catalogueModel(id)?.name ?? id;
}
