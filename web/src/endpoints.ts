// What every client page of this server (the console, GraphiQL) needs to reach it; no imports,
// so GraphiQL's bundle takes nothing else of the console.

/** The header (and value) the server asks of every cookie-signed request other than GET (CSRF). */
export const CSRF_HEADERS: Readonly<Record<string, string>> = { 'X-Requested-With': 'taizhang' }

/** The subscription socket's URL for a page at `location` (ws: beside http:, wss: beside https:). */
export function liveUrl(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/graphql/ws`
}
