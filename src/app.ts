// Builds the Hono app: cross-cutting middleware, one sub-app per resource, the OpenAPI
// document, and the single place errors become JSON.
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import { BOOKMARK_HEADER } from "./db/session";
import { ApiError, type ErrorCode } from "./errors";
import { log } from "./lib/log";
import { API_TAGS } from "./lib/route";
import { createRouter } from "./lib/router";
import { authenticate } from "./middleware/auth";
import { provideContext } from "./middleware/context";
import { jsonBodyOnly, strictJsonBody } from "./middleware/json-body";
import { rateLimitByOrg } from "./middleware/rate-limit";
import { apiRoutes } from "./routes";
import { docsPage } from "./routes/docs";
import { signInRoutes } from "./routes/sign-in";

export const BODY_LIMIT_BYTES = 256 * 1024;

// HTTPExceptions come from hono itself (e.g. the JSON validator's "Malformed JSON").
const CODE_FOR_STATUS: Record<number, ErrorCode> = {
  400: "validation_error",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  413: "payload_too_large",
  415: "unsupported_media_type",
  429: "rate_limited",
};

export function createApp() {
  const app = createRouter();

  app.use(requestId());
  app.use(secureHeaders());
  // API answers are per caller and some carry a signing secret: no cache, proxy or browser
  // may keep them. Set after the handler so error answers get it too.
  app.use("/api/v1/*", async (c, next) => {
    await next();
    c.header("Cache-Control", "no-store");
  });
  app.use(provideContext);
  app.use(
    cors({
      // Only origins on the CORS_ORIGINS allow-list get an Access-Control-Allow-Origin;
      // any other origin gets none, never a reflection of itself.
      origin: (origin, c) => (c.get("config").corsOrigins.includes(origin) ? origin : null),
      allowHeaders: ["Authorization", "Content-Type", "Idempotency-Key", BOOKMARK_HEADER],
      allowMethods: ["GET", "POST", "PUT", "DELETE", "OPTIONS"],
      exposeHeaders: ["x-request-id", "Retry-After", "Idempotent-Replayed", BOOKMARK_HEADER],
      maxAge: 600,
    }),
  );

  app.get("/health", (c) => c.json({ status: "ok" }));

  // Registered before the /api/v1 middleware so the document needs no token. It is built
  // from the registry on each request, so routes mounted below are still in it.
  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
  });
  app.doc31("/api/v1/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Purple Cross Automation API",
      version: "1.0.0",
      description: "Webhooks, events and document workflows for Purple Cross clinics.",
      contact: { name: "Purple Cross platform team", url: "https://github.com/purple-cross/automation" },
    },
    // Relative: the document describes the server that serves it (local dev, staging, production).
    servers: [{ url: "/", description: "The host serving this document" }],
    tags: Object.entries(API_TAGS).map(([name, description]) => ({ name, description })),
    security: [{ bearerAuth: [] }],
  });
  app.get("/docs", docsPage);

  app.use(
    "/api/v1/*",
    bodyLimit({
      maxSize: BODY_LIMIT_BYTES,
      onError: () => {
        throw new ApiError("payload_too_large", `Request bodies are limited to ${BODY_LIMIT_BYTES} bytes`);
      },
    }),
  );
  app.use("/api/v1/*", jsonBodyOnly);
  // The dashboard's sign-in routes take no token, so they answer before `authenticate` runs.
  app.route("/api/v1", signInRoutes());
  app.use("/api/v1/*", authenticate, rateLimitByOrg, strictJsonBody);

  app.route("/api/v1", apiRoutes());

  app.notFound((c) => c.json(new ApiError("not_found", `No route for ${c.req.method} ${c.req.path}`).toBody(), 404));

  app.onError((err, c) => {
    let apiError: ApiError;
    if (err instanceof ApiError) apiError = err;
    else if (err instanceof HTTPException && CODE_FOR_STATUS[err.status]) {
      apiError = new ApiError(CODE_FOR_STATUS[err.status]!, err.message || "Request rejected");
    } else {
      // Log the cause with the request id for operators; the client learns nothing about it.
      log("error", "unhandled error", { requestId: c.get("requestId"), error: String(err), stack: err.stack });
      apiError = new ApiError("internal_error", "Something went wrong; quote the x-request-id when reporting it");
    }
    return c.json(apiError.toBody(), apiError.status, apiError.headers);
  });

  return app;
}

export type App = ReturnType<typeof createApp>;
