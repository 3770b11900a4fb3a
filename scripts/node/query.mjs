// query.mjs SQL...: runs each SQL statement with DuckDB (in memory) and
// prints one JSON array holding, per statement, its rows as objects
// (BIGINT and timestamps as strings, as @duckdb/node-api's JSON rows give
// them). wirekit's tests read the Parquet files they write back with it
// (internal/testutil.DuckDB).
import { DuckDBInstance } from '@duckdb/node-api';

const instance = await DuckDBInstance.create(':memory:');
const conn = await instance.connect();
const results = [];
for (const sql of process.argv.slice(2)) {
	const reader = await conn.runAndReadAll(sql);
	results.push(reader.getRowObjectsJson());
}
process.stdout.write(JSON.stringify(results));
