// A local webhook receiver: POST /ok answers 200, POST /fail answers 500; GET /received?path=
// tells the tests (which run in other processes) what arrived.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

interface Received {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export async function startReceiver() {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://receiver");
    if (req.method === "GET" && url.pathname === "/received") {
      const path = url.searchParams.get("path");
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(received.filter((r) => !path || r.path === path)));
      return;
    }
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      received.push({ path: url.pathname, headers: req.headers, body });
      const ok = !url.pathname.endsWith("/fail");
      res.writeHead(ok ? 200 : 500, { "content-type": "text/plain" });
      res.end(ok ? "thanks" : "receiver is down");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
