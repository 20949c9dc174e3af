import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { nanoid } from 'nanoid';
import { WebSocket, WebSocketServer } from 'ws';

// The bridge page of @statelyai/inspect's own server, served by a server of ours: theirs listens
// on every interface and relays what any client sends to every other client. This one listens on
// 127.0.0.1 only and relays only what the run itself sends, on a path that only the run knows.
function bridgeHtml(port: number, inspectorUrl: string): string {
  return `<!DOCTYPE html>
<html>
<head>
  <title>case-route: Stately Inspector</title>
  <style>* { margin: 0; padding: 0; } html, body { height: 100%; } iframe { width: 100%; height: 100%; border: none; }</style>
</head>
<body>
  <iframe id="inspector" src="${inspectorUrl}"></iframe>
  <script>
    const iframe = document.getElementById('inspector');
    const buffer = [];
    let connected = false;
    window.addEventListener('message', (e) => {
      if (e.data && e.data.type === '@statelyai.connected') {
        connected = true;
        buffer.forEach((event) => iframe.contentWindow.postMessage(event, '*'));
        buffer.length = 0;
      }
    });
    const ws = new WebSocket('ws://127.0.0.1:${port}/');
    ws.onmessage = (event) => {
      const data = JSON.parse(event.data);
      if (connected) iframe.contentWindow.postMessage(data, '*');
      else buffer.push(data);
    };
  </script>
</body>
</html>`;
}

export interface InspectorRelay {
  readonly port: number;
  // Where the run's WebSocket inspector connects: the only source of events.
  readonly sourceUrl: string;
  readonly pageUrl: string;
  stop(): Promise<void>;
}

const INSPECTOR_UI = 'https://stately.ai/inspect';
const MAX_BUFFERED = 500;

export async function startInspectorRelay(port: number): Promise<InspectorRelay> {
  const sourcePath = `/${nanoid(24)}`;
  const server = createServer((_req, res) => {
    const { port: bound } = server.address() as AddressInfo;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(bridgeHtml(bound, INSPECTOR_UI));
  });
  // Listen before the WebSocket server is attached: it re-emits the HTTP server's errors, and a
  // busy port must reach the caller as a rejection, not as an unhandled 'error' event.
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  const wss = new WebSocketServer({ server });
  // A page opened mid-run gets what it missed.
  const sent: string[] = [];
  wss.on('connection', (socket, request) => {
    if (request.url === sourcePath) {
      socket.on('message', (data) => {
        const message = data.toString();
        sent.push(message);
        if (sent.length > MAX_BUFFERED) sent.shift();
        for (const client of wss.clients) if (client !== socket && client.readyState === WebSocket.OPEN) client.send(message);
      });
      return;
    }
    for (const message of sent) socket.send(message);
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    port: bound,
    sourceUrl: `ws://127.0.0.1:${bound}${sourcePath}`,
    pageUrl: `http://127.0.0.1:${bound}`,
    async stop() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
