export interface PreparedLlamaServer {
  nodeLlamaCpp: string;
  tag: string;
  commit: string;
  key: string;
  source: string;
  binary: string;
  model: string;
  modelDir: string;
}

export interface LlamaServer {
  url: string;
  port: number;
  child: import('node:child_process').ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export function prepareLlamaServer(): PreparedLlamaServer;
export function freePort(): Promise<number>;
export function startLlamaServer(binary: string, args: string[], options?: { logFile?: string; timeoutMs?: number }): Promise<LlamaServer>;
