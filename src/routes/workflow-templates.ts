// /api/v1/workflow-templates: save (a new version per change), read, list, archive.
import { commit } from "../db/client";
import {
  archiveTemplate,
  findTemplateKey,
  findTemplateVersion,
  listLatestTemplates,
  listTemplateVersions,
} from "../db/repositories/workflow-templates";
import { notFound } from "../errors";
import { apiRoute } from "../lib/route";
import { createRouter } from "../lib/router";
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

const createTemplateRoute = apiRoute({
  method: "post",
  path: "/",
  operationId: "saveWorkflowTemplate",
  tag: "Workflow templates",
  summary: "Save a template: version 1 for a new key, else the latest + 1 (an unchanged body answers 200 with the latest)",
  permission: "template:manage",
  request: { body: { required: true, content: json(createTemplateBody) } },
  responses: {
    200: { description: "The body equals the latest version: that version, nothing new", content: json(templateSchema) },
    201: { description: "The new version", content: json(templateSchema) },
    ...errorResponses(409),
  },
});

const listRoute = apiRoute({
  method: "get",
  path: "/",
  operationId: "listWorkflowTemplates",
  tag: "Workflow templates",
  summary: "The latest version of each template, most recently saved first",
  permission: "read",
  request: { query: templateListQuery },
  responses: { 200: { description: "A page of templates", content: json(templateListSchema) } },
});

const getRoute = apiRoute({
  method: "get",
  path: "/{key}",
  operationId: "getWorkflowTemplate",
  tag: "Workflow templates",
  summary: "One template version (default the latest)",
  permission: "read",
  request: { params: templateKeyParam, query: templateVersionQuery },
  responses: { 200: { description: "The template", content: json(templateSchema) }, ...errorResponses(404) },
});

const versionsRoute = apiRoute({
  method: "get",
  path: "/{key}/versions",
  operationId: "listWorkflowTemplateVersions",
  tag: "Workflow templates",
  summary: "Every version of a template, newest first",
  permission: "read",
  request: { params: templateKeyParam, query: z.object({ limit: pageLimitSchema.default(20), cursor: versionCursorSchema.optional() }) },
  responses: { 200: { description: "A page of versions", content: json(templateListSchema) }, ...errorResponses(404) },
});

const archiveRoute = apiRoute({
  method: "delete",
  path: "/{key}",
  operationId: "archiveWorkflowTemplate",
  tag: "Workflow templates",
  summary: "Archive a template: no new instances; running ones go on",
  permission: "template:manage",
  request: { params: templateKeyParam },
  responses: { 204: { description: "Archived" }, ...errorResponses(404) },
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
