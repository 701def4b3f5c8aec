// GraphiQL at /graphql, built into web/dist and embedded in the server: no CDN, so it works on
// an intranet without internet. Requests go to the same origin, signed in by the console's
// session cookie when the browser has one (HttpOnly: this page never sees the token), with the
// `X-Requested-With: taizhang` header the server asks of a cookie-signed POST; subscriptions
// go over graphql-ws at /graphql/ws, whose upgrade carries the same cookie. An API client's
// bearer token can still be set in the headers pane.
import 'graphiql/setup-workers/vite'
import 'graphiql/style.css'
import { createElement } from 'react'
import { createRoot } from 'react-dom/client'
import { GraphiQL } from 'graphiql'
import { createGraphiQLFetcher } from '@graphiql/toolkit'
import { createClient } from 'graphql-ws'
import { CSRF_HEADERS, liveUrl } from '../src/endpoints'

const fetcher = createGraphiQLFetcher({
  url: '/graphql',
  headers: { ...CSRF_HEADERS },
  fetch: (input, init) => fetch(input, { ...init, credentials: 'same-origin' }),
  wsClient: createClient({ url: liveUrl(window.location), lazy: true }),
})

const root = document.getElementById('graphiql')
if (root) {
  createRoot(root).render(createElement(GraphiQL, { fetcher }))
}
