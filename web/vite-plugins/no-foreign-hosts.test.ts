import { describe, expect, it } from 'vitest'
import { dropForeignSchemes, foreignUrls } from './no-foreign-hosts'

describe('no foreign hosts in the build', () => {
  it('finds URLs of other hosts and lets XML namespaces and JSON Schema ids pass', () => {
    const code = 'a="https://react.dev/errors/"+e; b="http://www.w3.org/2000/svg"; c=`wss://x.example:9/`; d="http://json-schema.org/draft-07/schema#"'
    expect(foreignUrls(code)).toEqual(['https://react.dev/errors/', 'wss://x.example:9/'])
  })
  it('drops the scheme of the others so that no browser follows them', () => {
    expect(dropForeignSchemes('href:`https://github.com/graphql/graphiql`,x="http://www.w3.org/1999/xlink"')).toBe(
      'href:`github.com/graphql/graphiql`,x="http://www.w3.org/1999/xlink"',
    )
    expect(foreignUrls(dropForeignSchemes('see https://prettier.io/docs/plugins and http://a.b/c'))).toEqual([])
  })
  it('leaves URL templates that name no host alone', () => {
    expect(foreignUrls('e.url=`http://${e.url}`')).toEqual([])
  })
})
