/**
 * Looks for plaintext markers (canaries) in every text and JSON column of a
 * database: the proof that submitted data is stored only as ciphertext. The
 * scan is bounded: rows of tables with a created_at/updated_at column are
 * limited to the recent window, every statement has the pool's timeout.
 */
import type pg from 'pg';

export interface ScanHit {
  table: string;
  column: string;
  needle: string;
}

export interface ScanResult {
  hits: ScanHit[];
  tablesScanned: number;
  columnsScanned: number;
}

const TEXT_TYPES = ['text', 'character varying', 'character', 'json', 'jsonb', 'bytea'];
const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function scanForNeedles(
  db: pg.Pool,
  needles: string[],
  opts: { since: Date; maxTables?: number },
): Promise<ScanResult> {
  const { rows } = await db.query<{ table_schema: string; table_name: string; column_name: string; data_type: string }>(
    `SELECT c.table_schema, c.table_name, c.column_name, c.data_type
       FROM information_schema.columns c
       JOIN information_schema.tables t USING (table_schema, table_name)
      WHERE c.table_schema NOT IN ('pg_catalog', 'information_schema') AND t.table_type = 'BASE TABLE'
      ORDER BY c.table_schema, c.table_name, c.ordinal_position`,
  );
  const tables = new Map<string, { columns: { name: string; type: string }[]; timeColumns: string[] }>();
  for (const r of rows) {
    const key = `${ident(r.table_schema)}.${ident(r.table_name)}`;
    const t = tables.get(key) ?? { columns: [], timeColumns: [] };
    if (TEXT_TYPES.includes(r.data_type)) t.columns.push({ name: r.column_name, type: r.data_type });
    if ((r.column_name === 'created_at' || r.column_name === 'updated_at') && r.data_type.startsWith('timestamp')) {
      t.timeColumns.push(r.column_name);
    }
    tables.set(key, t);
  }
  const hits: ScanHit[] = [];
  let tablesScanned = 0;
  let columnsScanned = 0;
  for (const [table, { columns, timeColumns }] of [...tables].slice(0, opts.maxTables ?? 500)) {
    if (columns.length === 0) continue;
    tablesScanned += 1;
    columnsScanned += columns.length;
    // bytea in escape format, so a plaintext copy inside a blob is found too.
    const asText = (c: { name: string; type: string }) =>
      c.type === 'bytea' ? `encode(${ident(c.name)}, 'escape')` : `${ident(c.name)}::text`;
    const recent = timeColumns.length ? `AND (${timeColumns.map((c) => `${ident(c)} >= $2`).join(' OR ')})` : '';
    for (const needle of needles) {
      const select = columns.map((c, i) => `strpos(coalesce(${asText(c)}, ''), $1) > 0 AS m${i}`).join(', ');
      const where = columns.map((c) => `strpos(coalesce(${asText(c)}, ''), $1) > 0`).join(' OR ');
      const params: unknown[] = timeColumns.length ? [needle, opts.since] : [needle];
      const res = await db.query<Record<string, boolean>>(`SELECT ${select} FROM ${table} WHERE (${where}) ${recent} LIMIT 5`, params);
      const matched = new Set<string>();
      for (const row of res.rows) columns.forEach((c, i) => row[`m${i}`] && matched.add(c.name));
      for (const column of matched) hits.push({ table: table.replace(/"/g, ''), column, needle });
    }
  }
  return { hits, tablesScanned, columnsScanned };
}
