// Request and response schemas of /api/v1/workflow-templates. The definition and triggers are
// declared loosely here (any object / array) and checked whole by src/engine/check.ts and
// triggers.ts, which report every problem with its path.
import { z } from "@hono/zod-openapi";
import { listQuerySchema } from "../lib/pagination";
import { listOf } from "./common";

export const templateKey = z
  .string()
  .regex(/^[a-z0-9_-]{1,64}$/, "1-64 of a-z 0-9 _ -")
  .openapi({ example: "controlled-drug-prescription" });

export const createTemplateBody = z
  .strictObject({
    key: templateKey,
    name: z.string().min(1).max(200),
    description: z.string().max(2000).optional(),
    definition: z
      .record(z.string(), z.unknown())
      .openapi({ description: "`{start, steps}`; see docs/WORKFLOW_ENGINE.md", example: { start: "done", steps: { done: { type: "succeed" } } } }),
    triggers: z.array(z.unknown()).max(10).optional(),
  })
  .openapi("CreateWorkflowTemplate");

export const templateSchema = z
  .object({
    key: z.string(),
    version: z.number().int(),
    name: z.string(),
    description: z.string().nullable(),
    definition: z.record(z.string(), z.unknown()),
    triggers: z.array(z.record(z.string(), z.unknown())),
    archived: z.boolean(),
    createdAt: z.string(),
  })
  .openapi("WorkflowTemplate");

export const templateListSchema = listOf(templateSchema, "WorkflowTemplateList");

export const templateKeyParam = z.object({ key: templateKey.openapi({ param: { name: "key", in: "path" } }) });
export const templateVersionQuery = z.object({ version: z.coerce.number().int().min(1).max(1_000_000).optional() });
export const templateListQuery = listQuerySchema;

export type Template = z.infer<typeof templateSchema>;
export type CreateTemplateInput = z.infer<typeof createTemplateBody>;
