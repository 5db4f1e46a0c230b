// `npm run receiver -- [--secret whsec_…] [--port 9000] [--status CODE]`: a local webhook
// receiver for trying deliveries. It verifies each request's signature with the
// `standardwebhooks` package, prints the delivery, and answers 204 (400 when the signature is
// wrong; --status forces another answer, e.g. 500 to watch the retries). WEBHOOK_SECRET in the
// environment works like --secret.
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import { checkDelivery } from "./receiver-check.mjs";

const USAGE = "usage: npm run receiver -- [--secret whsec_…] [--port 9000] [--status CODE]";
let args;
try {
  ({ values: args } = parseArgs({ options: { secret: { type: "string" }, port: { type: "string" }, status: { type: "string" } } }));
} catch (error) {
  console.error(`receiver: ${error.message}\n${USAGE}`);
  process.exit(2);
}
const secret = args.secret ?? process.env.WEBHOOK_SECRET;
const port = Number(args.port ?? 9000);
const forced = args.status === undefined ? undefined : Number(args.status);
if (!Number.isInteger(port) || (forced !== undefined && !(forced >= 200 && forced <= 599))) {
  console.error(`receiver: --port must be a number and --status an HTTP status\n${USAGE}`);
  process.exit(2);
}

createServer((req, res) => {
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    const body = Buffer.concat(chunks).toString("utf8");
    const result = checkDelivery(secret, req.headers, body);
    const signature =
      result.verified === null
        ? "signature NOT checked (start with --secret whsec_…)"
        : result.verified
          ? "signature ok"
          : `signature REJECTED: ${result.reason}`;
    const status = forced ?? result.status;
    console.log(`\n${new Date().toISOString()} ${req.method} ${req.url}  webhook-id ${req.headers["webhook-id"] ?? "-"}  ${signature}  → ${status}`);
    try {
      console.log(JSON.stringify(JSON.parse(body), null, 2));
    } catch {
      console.log(body);
    }
    res.writeHead(status, { "content-type": "text/plain" }).end(status < 300 ? "" : signature);
  });
}).listen(port, "127.0.0.1", () => {
  console.log(
    `receiver listening on http://localhost:${port}/ (any path); ${secret ? "verifying signatures" : "NOT verifying signatures: pass --secret whsec_…"}`,
  );
});
