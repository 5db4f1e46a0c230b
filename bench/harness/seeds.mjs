// The data every figure runs on, as SQL for /api/__bench/sql. Workflow ids are `wf_` + letters and
// digits, the shape the API routes to a Durable Object.
export const P1_ORGS = 256;
export const P6_WORKFLOWS = 100;
export const P6_ADVANCES = 10;
export const BIG = 100_000;
export const SMALL = 100;

const WORKFLOW_COLUMNS =
  "id, org, document_id, workflow_type, steps, current_step, total_steps, status, assigned_to, metadata, version, created_at, updated_at, completed_at";

const steps = (n) => JSON.stringify(Array.from({ length: n }, (_, i) => `step${i + 1}`));

/** `count` workflows, one per org `${orgPrefix}${i}` (or all in `org`), ids `${idPrefix}${i}`. */
function workflows({ count, idPrefix, org, orgPrefix, totalSteps = 2, now }) {
  const orgExpr = org ? `'${org}'` : `'${orgPrefix}' || i`;
  return [
    `INSERT INTO workflows (${WORKFLOW_COLUMNS})
     WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${count - 1})
     SELECT '${idPrefix}' || printf('%09d', i), ${orgExpr}, 'doc-' || (i % 5000), 'approval', '${steps(totalSteps)}', 1, ${totalSteps},
            'in_progress', NULL, NULL, 1, ${now} - i, ${now} - i, NULL FROM n`,
    org
      ? `INSERT INTO workflow_stats (org, status, count) VALUES ('${org}', 'in_progress', ${count})`
      : `INSERT INTO workflow_stats (org, status, count)
         WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${count - 1})
         SELECT '${orgPrefix}' || i, 'in_progress', 1 FROM n`,
  ];
}

export const p1Id = (i) => `wf_p1n${String(i).padStart(9, "0")}`;
export const p1Org = (i) => `p1-${i}`;
export const p6Id = (round, i) => `wf_p6r${round}n${String(i).padStart(9, "0")}`;
export const p6Org = (round, i) => `p6-${round}-${i}`;
export const P5_ADVANCE = { org: "p5-advance", id: "wf_p5n000000000" };

/** Rows both the Worker and the floor read or update: P1's and P6's. */
export function sharedSeed(now, p6Rounds) {
  const statements = workflows({ count: P1_ORGS, idPrefix: "wf_p1n", orgPrefix: "p1-", now });
  for (let r = 0; r < p6Rounds; r++) {
    statements.push(...workflows({ count: P6_WORKFLOWS, idPrefix: `wf_p6r${r}n`, orgPrefix: `p6-${r}-`, totalSteps: P6_ADVANCES, now }));
  }
  return statements;
}

/** The Worker's alone: the large and small orgs of P2/P3 and P5's workflow. */
export function workerSeed(now) {
  return [
    ...workflows({ count: BIG, idPrefix: "wf_bign", org: "big-list", now }),
    ...workflows({ count: BIG, idPrefix: "wf_bigs", org: "big-stats", now }),
    ...workflows({ count: SMALL, idPrefix: "wf_smalln", org: "small-stats", now }),
    ...workflows({ count: 1, idPrefix: "wf_p5n", org: P5_ADVANCE.org, totalSteps: 20, now }),
  ];
}

/** A cursor as the API issues it, pointing `depth` rows into big-list (newest first). */
export function deepCursor(now, depth) {
  const i = depth - 1;
  const key = { t: now - i, id: `wf_bign${String(i).padStart(9, "0")}` };
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}
