// No page served by taizhang may point at another host (issue 11): the console works on
// intranets without internet, and nothing should even look like it could call out.
//
// Third-party code (React, GraphiQL, Monaco, Prettier) carries links in its texts: React's
// error decoder, GraphiQL's logo link to its repository, Monaco's links to keyboard-shortcut
// pages. This plugin drops the scheme of every such URL in the built JavaScript ("react.dev/…"
// stays readable in a message but is no link a browser follows to that host), and fails the
// build if any URL to another host is left in any output file.
//
// Allowed, because they are identifiers and never fetched: XML namespace URIs (SVG, XHTML,
// XLink, MathML, XML) that the DOM needs verbatim, and the JSON Schema draft identifiers Monaco's
// JSON mode keys its built-in meta-schemas by (its schema requests are off by default).
import type { Plugin } from 'vite'

export const ALLOWED_URLS: RegExp[] = [
  /^http:\/\/www\.w3\.org\/(2000\/svg|1999\/xhtml|1999\/xlink|1998\/Math\/MathML|XML\/1998\/namespace|2000\/xmlns\/)/,
  /^https?:\/\/json-schema\.org\/(draft-0[3-7]\/schema|draft\/20(19-09|20-12)\/schema)/,
]

const URL_PATTERN = /\b(?:https?|wss?):\/\/[A-Za-z0-9][A-Za-z0-9.-]*(?::\d+)?[^\s"'`)<>\\]*/g

export function isAllowed(url: string): boolean {
  return ALLOWED_URLS.some((pattern) => pattern.test(url))
}

/** Every URL in `text` that names a host and is not allowed. */
export function foreignUrls(text: string): string[] {
  return [...text.matchAll(URL_PATTERN)].map((m) => m[0]).filter((url) => !isAllowed(url))
}

/** `text` with the scheme of every URL that is not allowed dropped. */
export function dropForeignSchemes(text: string): string {
  return text.replace(URL_PATTERN, (url) => (isAllowed(url) ? url : url.replace(/^[a-z]+:\/\//, '')))
}

export function noForeignHosts(): Plugin {
  return {
    name: 'taizhang:no-foreign-hosts',
    enforce: 'post',
    renderChunk(code) {
      const rewritten = dropForeignSchemes(code)
      return rewritten === code ? null : { code: rewritten, map: null }
    },
    generateBundle(_options, bundle) {
      for (const [fileName, output] of Object.entries(bundle)) {
        const text =
          output.type === 'chunk'
            ? output.code
            : typeof output.source === 'string'
              ? output.source
              : /\.(css|html|js|svg)$/.test(fileName)
                ? new TextDecoder().decode(output.source)
                : ''
        const left = foreignUrls(text)
        if (left.length > 0) {
          this.error(`${fileName} points at other hosts: ${left.slice(0, 5).join(', ')}`)
        }
      }
    },
  }
}
