// /api/v1/workflow-templates: save (a new version per change), read, list, archive.
import { createRoute } from "@hono/zod-openapi";
import { commit } from "../db/client";
import {
  archiveTemplate,
  findTemplateKey,
  findTemplateVersion,
  listLatestTemplates,
  listTemplateVersions,
} from "../db/repositories/workflow-templates";
import { notFound } from "../errors";
import { createRouter } from "../lib/router";
import { requirePermission } from "../middleware/auth";
import { errorResponses, json } from "../schemas/common";
import {
  createTemplateBody,
  templateKeyParam,
  templateListQuery,
  templateListSchema,
  templateSchema,
  templateVersionQuery,
} from "../schemas/templates";
import { toTemplate, saveTemplate } from "../templates/save";
import { encodeVersionCursor, pageLimitSchema, versionCursorSchema } from "../lib/pagination";
import { z } from "@hono/zod-openapi";

const tags = ["Workflow templates"];

const createTemplateRoute = createRoute({
  method: "post",
  path: "/",
  tags,
  summary: "Save a template: version 1 for a new key, else the latest + 1 (an unchanged body answers 200 with the latest)",
  middleware: [requirePermission("template:manage")] as const,
  request: { body: { required: true, content: json(createTemplateBody) } },
  responses: {
    200: { description: "The body equals the latest version: that version, nothing new", content: json(templateSchema) },
    201: { description: "The new version", content: json(templateSchema) },
    ...errorResponses(400, 403, 409),
  },
});

const listRoute = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "The latest version of each template, most recently saved first",
  middleware: [requirePermission("read")] as const,
  request: { query: templateListQuery },
  responses: { 200: { description: "A page of templates", content: json(templateListSchema) }, ...errorResponses(400, 403) },
});

const getRoute = createRoute({
  method: "get",
  path: "/{key}",
  tags,
  summary: "One template version (default the latest)",
  middleware: [requirePermission("read")] as const,
  request: { params: templateKeyParam, query: templateVersionQuery },
  responses: { 200: { description: "The template", content: json(templateSchema) }, ...errorResponses(400, 403, 404) },
});

const versionsRoute = createRoute({
  method: "get",
  path: "/{key}/versions",
  tags,
  summary: "Every version of a template, newest first",
  middleware: [requirePermission("read")] as const,
  request: { params: templateKeyParam, query: z.object({ limit: pageLimitSchema.default(20), cursor: versionCursorSchema.optional() }) },
  responses: { 200: { description: "A page of versions", content: json(templateListSchema) }, ...errorResponses(400, 403, 404) },
});

const archiveRoute = createRoute({
  method: "delete",
  path: "/{key}",
  tags,
  summary: "Archive a template: no new instances; running ones go on",
  middleware: [requirePermission("template:manage")] as const,
  request: { params: templateKeyParam },
  responses: { 204: { description: "Archived" }, ...errorResponses(403, 404) },
});

export function workflowTemplatesRoute() {
  const app = createRouter();

  app.openapi(createTemplateRoute, async (c) => {
    const { created, template } = await saveTemplate(c.get("db"), c.get("principal").org, c.req.valid("json"));
    return created ? c.json(template, 201) : c.json(template, 200);
  });

  app.openapi(listRoute, async (c) => {
    const result = await listLatestTemplates(c.get("db"), c.get("principal").org, c.req.valid("query"));
    return c.json({ data: result.data.map((r) => toTemplate(r.template, r.archived)), nextCursor: result.nextCursor }, 200);
  });

  app.openapi(getRoute, async (c) => {
    const db = c.get("db");
    const { org } = c.get("principal");
    const { key } = c.req.valid("param");
    const keyRow = await findTemplateKey(db, org, key);
    const row = keyRow && (await findTemplateVersion(db, org, key, c.req.valid("query").version ?? keyRow.latestVersion));
    if (!keyRow || !row) throw notFound("Template");
    return c.json(toTemplate(row, keyRow.archived), 200);
  });

  app.openapi(versionsRoute, async (c) => {
    const db = c.get("db");
    const { org } = c.get("principal");
    const { key } = c.req.valid("param");
    const { limit, cursor } = c.req.valid("query");
    const keyRow = await findTemplateKey(db, org, key);
    if (!keyRow) throw notFound("Template");
    const rows = await listTemplateVersions(db, org, key, { limit, beforeVersion: cursor });
    const data = rows.slice(0, limit);
    const last = data.at(-1);
    return c.json(
      { data: data.map((r) => toTemplate(r, keyRow.archived)), nextCursor: rows.length > limit && last ? encodeVersionCursor(last.version) : null },
      200,
    );
  });

  app.openapi(archiveRoute, async (c) => {
    const db = c.get("db");
    const { org } = c.get("principal");
    const { key } = c.req.valid("param");
    if (!(await findTemplateKey(db, org, key))) throw notFound("Template");
    await commit(db, archiveTemplate(db, org, key));
    return c.body(null, 204);
  });

  return app;
}
