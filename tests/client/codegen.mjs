// What a front-end team does first: generate TypeScript types for the API's operations with the
// GraphQL Code Generator (client preset), from the repository's schema.graphql and every operation
// docs/api.md shows, with the persisted-documents manifest that `jixiao documents add` loads.
// Fails when an operation of the docs does not validate against the schema.
//
//   node tests/client/codegen.mjs        (writes tests/client/generated/)
import { readFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '@graphql-codegen/cli';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const out = join(here, 'generated');
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'operations'), { recursive: true });

// Every ```graphql block of the API guide is an operation a screen sends.
const guide = readFileSync(join(root, 'docs', 'api.md'), 'utf8');
const blocks = [...guide.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);
if (blocks.length < 20) throw new Error(`only ${blocks.length} operations found in docs/api.md`);
blocks.forEach((text, i) => writeFileSync(join(out, 'operations', `${String(i).padStart(2, '0')}.graphql`), text));
// The screen the client test runs (screen.ts), beside the guide's.
writeFileSync(join(out, 'operations', 'screen.graphql'), readFileSync(join(here, 'screen.graphql'), 'utf8'));

await generate(
  {
    schema: join(root, 'schema.graphql'),
    documents: [join(out, 'operations', '*.graphql')],
    silent: true,
    generates: {
      [join(out, 'gql') + '/']: {
        preset: 'client',
        presetConfig: { fragmentMasking: false, persistedDocuments: { hashAlgorithm: 'sha256' } },
        config: { scalars: { Date: 'string', DateTime: 'string', Upload: 'unknown' }, strictScalars: false },
      },
    },
  },
  true,
);
console.log(`${blocks.length} operations of docs/api.md and the screen's typed in ${out}`);
