// The console of this checkout in front of a server binary built from another commit.
//
// The binary embeds the web/dist it was built with (build.rs). When that is not this
// checkout's web/dist — a binary built elsewhere, while only the console changed — the browser
// test would drive the binary's old console. This front, on a port of its own, answers the
// console's files from web/dist (the console's and GraphiQL's HTML with the binary's own
// headers, the CSP among them; /assets/… as the binary serves them) and passes everything else
// to the binary: GraphQL, the subscription socket, /session, exports, evidence, bulletins.
// The Origin header is dropped on the way, as the dev server's proxy does (vite.config.ts):
// the binary accepts a cookie-signed request from its own pages, and the front's port is not its.
import { createServer, request } from 'node:http'
import { connect } from 'node:net'
import { existsSync, readFileSync } from 'node:fs'
import { extname, join, normalize } from 'node:path'

const TYPES = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.png': 'image/png',
  '.json': 'application/json',
}

/** Whether the binary at `origin` serves this dist's console (its index.html is the same). */
export async function servesDist(origin, dist) {
  const page = await (await fetch(`${origin}/`, { headers: { accept: 'text/html' } })).text()
  return page === readFileSync(join(dist, 'index.html'), 'utf8')
}

/** Starts the front for the binary at `origin` with the files of `dist`; resolves to its origin and a stop function. */
export function startFront(origin, dist) {
  const backend = new URL(origin)
  const pages = {
    console: readFileSync(join(dist, 'index.html')),
    graphiql: readFileSync(join(dist, 'graphiql.html')),
  }
  const forwardHeaders = (headers) => {
    const out = { ...headers, host: backend.host }
    delete out.origin
    delete out['accept-encoding'] // identity answers, so that an HTML page can be swapped
    return out
  }

  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://front').pathname)
    if (req.method === 'GET' && path.startsWith('/assets/')) {
      const file = normalize(join(dist, path))
      if (file.startsWith(join(dist, 'assets')) && existsSync(file)) {
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'public, max-age=31536000, immutable' })
        res.end(readFileSync(file))
        return
      }
    }
    const upstream = request({ host: backend.hostname, port: backend.port, method: req.method, path: req.url, headers: forwardHeaders(req.headers) }, (answer) => {
      const html = (answer.headers['content-type'] ?? '').startsWith('text/html')
      if (!html) {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
        return
      }
      const chunks = []
      answer.on('data', (c) => chunks.push(c))
      answer.on('end', () => {
        let body = Buffer.concat(chunks)
        const text = body.toString('utf8')
        // The binary's console or GraphiQL page (its hashed entry script), not a bulletin's page.
        if (/\/assets\/console-[\w-]+\.js/.test(text)) body = pages.console
        else if (/\/assets\/graphiql-[\w-]+\.js/.test(text)) body = pages.graphiql
        const headers = { ...answer.headers, 'content-length': String(body.length) }
        delete headers['transfer-encoding']
        res.writeHead(answer.statusCode ?? 502, headers)
        res.end(body)
      })
    })
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502)
      res.end()
    })
    req.pipe(upstream)
  })

  // The subscription socket: the upgrade request passed on as it came (less Origin), then the
  // two sockets joined.
  server.on('upgrade', (req, socket, head) => {
    const upstream = connect(Number(backend.port), backend.hostname, () => {
      const headers = forwardHeaders(req.headers)
      const lines = [`${req.method} ${req.url} HTTP/1.1`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', '']
      upstream.write(lines.join('\r\n'))
      if (head.length) upstream.write(head)
      upstream.pipe(socket)
      socket.pipe(upstream)
    })
    const close = () => {
      upstream.destroy()
      socket.destroy()
    }
    upstream.on('error', close)
    socket.on('error', close)
  })

  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      resolve({ origin: `http://127.0.0.1:${port}`, stop: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()) }) })
    })
  })
}
