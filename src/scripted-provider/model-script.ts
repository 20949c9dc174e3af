import { z } from 'zod';

// A model script is what the scripted provider answers, per Case agent role and turn.
// Role and turn are read from the request (src/evidence/agent-turn.ts), so the server is
// stateless and the same script drives both the fake Case and real Case.
const ToolCallSchema = z.object({
  name: z.string().min(1),
  arguments: z.record(z.string(), z.unknown()),
});

export const ScriptTurnSchema = z.union([
  z.object({ content: z.string() }).strict(),
  z.object({ tool_calls: z.array(ToolCallSchema).min(1) }).strict(),
]);

export const ModelScriptSchema = z.object({
  roles: z.record(z.string().regex(/^[a-z]+$/), z.array(ScriptTurnSchema).min(1)),
});

export type ScriptTurn = z.infer<typeof ScriptTurnSchema>;
export type ModelScript = z.infer<typeof ModelScriptSchema>;

const NO_SCRIPT_REPLY =
  '<<<AGENT_RESULT\n{"status":"failed","summary":"no scripted reply for this role","error":"the model script has no turn for this role","artifacts":{}}\nAGENT_RESULT>>>';

// Past the end of a role's script the last turn is not repeated: a scripted model that kept
// answering with tool calls would loop until Case's 600 s spawn timeout.
export function scriptedTurn(script: ModelScript, role: string | undefined, turn: number): ScriptTurn {
  const turns = role && Object.hasOwn(script.roles, role) ? script.roles[role] : undefined;
  return turns?.[turn] ?? { content: NO_SCRIPT_REPLY };
}
