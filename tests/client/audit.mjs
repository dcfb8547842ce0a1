// Runs the GraphQL-over-HTTP specification's server audits (the npm package graphql-http) against
// a running Jixiao and prints each one's outcome. Exits non-zero unless every audit is ok.
//
//   node tests/client/audit.mjs http://127.0.0.1:PORT/graphql
import { serverAudits } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs <the /graphql address of a running jixiao>');
  process.exit(2);
}
const audits = serverAudits({ url });
const failed = [];
for (const audit of audits) {
  const result = await audit.fn();
  const line = `${result.status.padEnd(5)} ${audit.id} ${audit.name}`;
  console.log(line);
  if (result.status !== 'ok') failed.push(`${line}\n      ${result.reason}`);
}
console.log(`${audits.length - failed.length} of ${audits.length} audits ok`);
if (failed.length) {
  console.error(failed.join('\n'));
  process.exit(1);
}
