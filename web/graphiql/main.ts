// GraphiQL at /graphql, built into web/dist and embedded in the server: no CDN, so it works on
// an intranet without internet. Requests go to the same origin; a console login in this tab
// (sessionStorage) is offered as the Authorization header.
import 'graphiql/setup-workers/vite'
import 'graphiql/style.css'
import { createElement } from 'react'
import { createRoot } from 'react-dom/client'
import { GraphiQL } from 'graphiql'
import { createGraphiQLFetcher } from '@graphiql/toolkit'
import { TOKEN_KEY } from '../src/session'

const fetcher = createGraphiQLFetcher({ url: '/graphql' })
const token = sessionStorage.getItem(TOKEN_KEY)
const defaultHeaders = token ? JSON.stringify({ Authorization: `Bearer ${token}` }, null, 2) : undefined

const root = document.getElementById('graphiql')
if (root) {
  createRoot(root).render(createElement(GraphiQL, { fetcher, defaultHeaders }))
}
