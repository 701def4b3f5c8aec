// `npm run build`'s GraphQL checks, before the type check:
// 1. src/graphql-env.d.ts (the schema's types for gql.tada) is what `npm run typegen` makes of
//    the committed ../schema.graphql now: generated again to a temporary file and compared byte
//    for byte, so a schema change without `npm run typegen` fails the build.
// 2. Every graphql(`…`) document in src (.ts and .vue) is valid against that schema
//    (`gql.tada check`: unknown fields, arguments, variables and types, wrong enum values …).
// The type check (vue-tsc) then checks each document's variables and the use of its result.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const web = join(dirname(fileURLToPath(import.meta.url)), '..')
const cli = join(web, 'node_modules', 'gql.tada', 'bin', 'cli.js')
const committed = join(web, 'src', 'graphql-env.d.ts')

function tada(args, quiet) {
  const run = spawnSync(process.execPath, [cli, ...args], { cwd: web, stdio: quiet ? 'pipe' : 'inherit', encoding: 'utf8' })
  if (run.status !== 0 && quiet) process.stderr.write(`${run.stdout ?? ''}${run.stderr ?? ''}`)
  return run.status ?? 1
}

const dir = mkdtempSync(join(tmpdir(), 'taizhang-typegen-'))
try {
  const fresh = join(dir, 'graphql-env.d.ts')
  if (tada(['generate', 'output', '--output', fresh], true) !== 0) {
    console.error('check-graphql: gql.tada could not read ../schema.graphql')
    process.exit(1)
  }
  if (!readFileSync(fresh).equals(readFileSync(committed))) {
    console.error('check-graphql: src/graphql-env.d.ts is stale against ../schema.graphql: run `npm run typegen` and commit it')
    process.exit(1)
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
console.log('check-graphql: src/graphql-env.d.ts matches ../schema.graphql')

if (tada(['check', '--fail-on-warn'], false) !== 0) {
  console.error('check-graphql: a GraphQL document does not match ../schema.graphql (see above)')
  process.exit(1)
}
console.log('check-graphql: every graphql() document is valid against ../schema.graphql')
