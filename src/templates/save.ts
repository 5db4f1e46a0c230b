// Saving a template: check definition and triggers whole, then write version 1 for a new key
// or the latest + 1; a body equal to the latest version is answered with it and writes nothing.
import { commit, type Db } from "../db/client";
import { findTemplateKey, findTemplateVersion, insertTemplateVersion, type TemplateRow } from "../db/repositories/workflow-templates";
import { checkDefinition } from "../engine/check";
import { jsonEqual } from "../lib/json-equal";
import { checkTriggers } from "../engine/triggers";
import { conflict, validationError } from "../errors";
import type { CreateTemplateInput, Template } from "../schemas/templates";

export const toTemplate = (row: TemplateRow, archived: boolean): Template => ({
  key: row.key,
  version: row.version,
  name: row.name,
  description: row.description ?? null,
  definition: row.definition,
  triggers: row.triggers,
  archived,
  createdAt: row.createdAt.toISOString(),
});

const sameBody = (row: TemplateRow, input: CreateTemplateInput) =>
  row.name === input.name &&
  (row.description ?? undefined) === input.description &&
  jsonEqual(row.definition, input.definition) &&
  jsonEqual(row.triggers, input.triggers ?? []);

/** Answers `created: false` with the latest version when the body equals it. Throws ApiError. */
export async function saveTemplate(
  db: Db,
  org: string,
  input: CreateTemplateInput,
  now = new Date(),
): Promise<{ created: boolean; template: Template }> {
  const definition = checkDefinition(input.definition);
  const triggers = checkTriggers(input.triggers);
  const details = [...(definition.ok ? [] : definition.details), ...(triggers.ok ? [] : triggers.details)];
  if (details.length || !triggers.ok) throw validationError("The template is not valid", details);

  const key = await findTemplateKey(db, org, input.key);
  if (key?.archived) throw conflict(`Template '${input.key}' is archived; save it under a new key`);
  if (key) {
    const latest = await findTemplateVersion(db, org, input.key, key.latestVersion);
    if (latest && sameBody(latest, input)) return { created: false, template: toTemplate(latest, false) };
  }
  const row: TemplateRow = {
    org,
    key: input.key,
    version: (key?.latestVersion ?? 0) + 1,
    name: input.name,
    description: input.description ?? null,
    definition: input.definition,
    triggers: (input.triggers ?? []) as Record<string, unknown>[],
    createdAt: now,
  };
  try {
    await commit(db, insertTemplateVersion(db, row, triggers.triggers));
  } catch (error) {
    // The version's primary key refused it: another save of this key won the number.
    if (await findTemplateVersion(db, org, row.key, row.version)) throw conflict("The template was saved concurrently; retry");
    throw error;
  }
  return { created: true, template: toTemplate(row, false) };
}
