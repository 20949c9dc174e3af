// Which Case agent a chat request comes from, and at which turn: the agent from the first line of
// its system prompt (`# Implementer — ...`, as Case's agent prompts begin), the turn from the
// assistant messages already in it. Stateless, so the scripted provider answering, the transcript
// recording and the replay provider matching all key a request the same way.
export interface AgentTurn {
  readonly agent: string | null;
  readonly turn: number;
}

const ROLE_LINE = /^#\s*([A-Za-z]{1,40})\b/;

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part: unknown) => (typeof part === 'object' && part !== null && typeof (part as { text?: unknown }).text === 'string' ? (part as { text: string }).text : '')).join('');
}

function roleFromSystemPrompt(systemPrompt: string): string | null {
  const firstLine = systemPrompt.split('\n', 1)[0] ?? '';
  return ROLE_LINE.exec(firstLine)?.[1]?.toLowerCase() ?? null;
}

export function agentTurnOf(body: unknown): AgentTurn {
  const messages = typeof body === 'object' && body !== null && Array.isArray((body as { messages?: unknown }).messages) ? (body as { messages: unknown[] }).messages : [];
  const first = messages[0] as { role?: unknown; content?: unknown } | undefined;
  const agent = first?.role === 'system' ? roleFromSystemPrompt(textOf(first.content)) : null;
  const turn = messages.filter((m) => typeof m === 'object' && m !== null && (m as { role?: unknown }).role === 'assistant').length;
  return { agent, turn };
}
