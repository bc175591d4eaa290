// Syntax and semantic check of Cypher texts with Neo4j's own language support
// (@neo4j-cypher/language-support: the ANTLR grammar and checks Neo4j's tools use).
//
// stdin:  JSON, either a list of {name, cypher} or
//         {"queries": [{name, cypher}], "labels": [...], "relationshipTypes": [...],
//          "propertyKeys": [...]}
// stdout: JSON lines, one per diagnostic: {name, severity: "error"|"warning", message, offset}
// exit:   1 when any error was found, 0 otherwise (warnings do not fail).
//
// Every text is checked as Cypher 5 (the grammar of Neo4j 5, which docker-compose.yml runs).
// Functions and procedures are checked against the BUILT-IN ones of Neo4j 5 (no APOC): the
// registry comes from the package's own dump of a Neo4j 5 server (testData.mockSchema),
// so a ladybug-only function such as label() or list_contains() is reported as an error.
import { lintCypherQuery, isNotParamError, testData } from '@neo4j-cypher/language-support';

const VERSION = 'CYPHER 5';

function builtins(registry) {
  const all = registry?.[VERSION] ?? {};
  return Object.fromEntries(
    Object.entries(all).filter(([name, spec]) =>
      spec.isBuiltIn === true || (spec.isBuiltIn === undefined && /^(db|dbms|tx)\./.test(name)),
    ),
  );
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

const input = JSON.parse(await readStdin());
const queries = Array.isArray(input) ? input : input.queries;
const schema = {
  defaultLanguage: VERSION,
  functions: { [VERSION]: builtins(testData.mockSchema.functions) },
  procedures: { [VERSION]: builtins(testData.mockSchema.procedures) },
};
if (!Array.isArray(input)) {
  for (const key of ['labels', 'relationshipTypes', 'propertyKeys']) {
    if (input[key]) schema[key] = input[key];
  }
}

let errors = 0;
for (const { name, cypher } of queries) {
  const { diagnostics } = lintCypherQuery(cypher, schema);
  for (const d of diagnostics) {
    if (!isNotParamError(d)) continue; // $parameters are bound at run time
    const severity = d.severity === 1 ? 'error' : 'warning';
    if (severity === 'error') errors += 1;
    process.stdout.write(
      JSON.stringify({ name, severity, message: d.message, offset: d.offsets?.start ?? null }) + '\n',
    );
  }
}
process.stderr.write(`checked ${queries.length} Cypher texts: ${errors} errors\n`);
process.exit(errors ? 1 : 0);
