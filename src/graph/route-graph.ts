import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { routeMachine } from '../../machines/route.machine.js';

export interface RouteGraphState {
  readonly id: string;
  readonly final: boolean;
  // The step the state runs (its invoked actor), or null for a final state.
  readonly invokes: string | null;
}

export interface RouteGraphTransition {
  readonly from: string;
  readonly to: string;
  readonly event: string;
  // Guards are shown as the machine evaluates them: `!name` for not(name).
  readonly guard: string | null;
}

export interface RouteGraph {
  readonly machine: string;
  readonly initial: string;
  readonly states: readonly RouteGraphState[];
  readonly transitions: readonly RouteGraphTransition[];
}

type GuardLike = string | { type?: unknown } | ((...args: never[]) => unknown) | undefined;

// A guard built by xstate's not/and/or is a function named after the combinator that carries its
// operands in `guards`; anything else must be a guard named in setup(), or the diagram would
// show a rule nobody can look up.
function describeGuard(guard: GuardLike, where: string): string | null {
  if (guard === undefined) return null;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function') {
    const operands = (guard as { guards?: GuardLike[] }).guards;
    if (Array.isArray(operands)) {
      const parts = operands.map((operand) => describeGuard(operand, where));
      if (guard.name === 'not') return `!${parts[0]}`;
      if (guard.name === 'and' || guard.name === 'or') return `(${parts.join(guard.name === 'and' ? ' && ' : ' || ')})`;
    }
  } else if (typeof guard.type === 'string') {
    return guard.type;
  }
  throw new Error(`route graph: an unnamed guard on ${where}`);
}

function describeEvent(type: string): string {
  const actor = /^xstate\.(done|error)\.actor\.(.+)$/.exec(type);
  return actor ? `${actor[1]}(${actor[2]})` : type;
}

function transitionsOf(node: AnyStateNode, from: string): RouteGraphTransition[] {
  return [...node.transitions.entries()].flatMap(([eventType, definitions]) =>
    definitions.flatMap((definition) =>
      (definition.target ?? []).map((target) => ({
        from,
        to: target.key,
        event: describeEvent(eventType),
        guard: describeGuard(definition.guard as GuardLike, `${from} on ${eventType}`),
      })),
    ),
  );
}

// Read from the machine definition itself, so the diagram cannot drift from the route. A
// transition declared on the machine's root (ABORT) is taken from every state that is still
// running and does not handle the event itself, and is drawn from each of them.
export function routeGraph(machine: AnyStateMachine = routeMachine): RouteGraph {
  const root = machine.root;
  const nodes = Object.values(root.states) as AnyStateNode[];
  const states = nodes.map((node) => ({
    id: node.key,
    final: node.type === 'final',
    invokes: node.invoke[0]?.id ?? null,
  }));
  const transitions = nodes.flatMap((node) => [
    ...transitionsOf(node, node.key),
    ...(node.type === 'final' ? [] : transitionsOf(root, node.key).filter((t) => !node.transitions.has(t.event))),
  ]);
  const initial = root.initial?.target?.[0]?.key;
  if (!initial) throw new Error('route graph: the machine has no initial state');
  return { machine: root.key, initial, states, transitions };
}

// The way through when every step succeeds: from the initial state, each step's unguarded
// done transition, to the final state it ends in.
export function happyPath(graph: RouteGraph): string[] {
  const path = [graph.initial];
  for (;;) {
    const current = path.at(-1)!;
    const next = graph.transitions.find((t) => t.from === current && t.guard === null && t.event.startsWith('done('))?.to;
    if (!next || path.includes(next)) return path;
    path.push(next);
  }
}
