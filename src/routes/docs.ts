// GET /docs: Swagger UI over the OpenAPI document. Its script and stylesheet are static assets
// built beside the dashboard (ui/vite.config.ts copies them from swagger-ui-dist), so the page
// works without internet access.
import type { Context } from "hono";

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Purple Cross Automation API</title>
<link rel="stylesheet" href="/swagger-ui/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/swagger-ui/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: "/api/v1/openapi.json", dom_id: "#swagger-ui" });</script>
</body>
</html>`;

/** The handler of GET /docs, registered on the app itself (app.ts): one page needs no sub-app. */
export const docsPage = (c: Context) => c.html(PAGE);
