// The console in a real browser (issue 11): Debian's Chromium driven by playwright-core,
// against the real server on a fresh demo database, offline (every request to another host is
// refused and fails the test).
//
//   TAIZHANG_BIN=/path/to/taizhang node e2e/console.mjs
//
// Environment: TAIZHANG_BIN (the server binary, required), CHROMIUM (default /usr/bin/chromium),
// SCREENSHOT_DIR (default ../target/console-screenshots, relative to web/). It starts its own
// server on a port the system picks, reads the port from the server's log, waits for /healthz,
// and stops the server at the end. When the binary embeds a console other than web/dist (built
// from another commit), web/dist is served in front of it (front.mjs). Exit 0 only when every
// check passed.
import { chromium } from 'playwright-core'
import { buildSchema, parse, validate } from 'graphql'
import { execFileSync, spawn } from 'node:child_process'
import { createHmac } from 'node:crypto'
import { createServer } from 'node:http'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, createWriteStream } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { adminPages, anonymousPages, duchaPages, jiweiPages, shuiliPages } from './pages.mjs'
import { liveScenarios } from './live.mjs'
import { accountabilityScenario, inspectionScenario, scoringScenario, shuiliAccountability } from './practice.mjs'
import { servesDist, startFront } from './front.mjs'

const here = fileURLToPath(new URL('.', import.meta.url))
const BIN = process.env.TAIZHANG_BIN
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium'
const SHOTS = resolve(process.env.SCREENSHOT_DIR ?? join(here, '..', '..', 'target', 'console-screenshots'))
const WAIT = 60_000 // generous: CI machines are shared and slow

if (!BIN) {
  console.error('set TAIZHANG_BIN to the taizhang binary')
  process.exit(2)
}

let passed = 0
let failed = 0
const failures = []
function check(name, ok, detail = '') {
  if (ok) {
    passed += 1
    console.log(`ok   ${name}`)
  } else {
    failed += 1
    failures.push(name)
    console.log(`FAIL ${name} ${detail}`)
  }
}

const STATUS_NAMES = ['待启动', '整改中', '待验收', '已销号', '长期坚持', '已撤销']
const formatRate = (r) => (r === null || r === undefined ? '—' : `${(r * 100).toFixed(1)}%`)
const cstDate = (ms) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10)

const work = mkdtempSync(join(tmpdir(), 'taizhang-console-'))
const database = `sqlite://${join(work, 'demo.db')}?mode=rwc`
let server
let browser
let front

// The webhook receiver the server posts every audit event to: it checks each signature.
const HOOK_SECRET = 'taizhang-browser-test-webhook-secret'
const hooks = { signed: 0, badSignature: 0, actions: new Set() }
const hookServer = createServer((req, res) => {
  const chunks = []
  req.on('data', (c) => chunks.push(c))
  req.on('end', () => {
    const body = Buffer.concat(chunks)
    const want = `sha256=${createHmac('sha256', HOOK_SECRET).update(body).digest('hex')}`
    if (req.headers['x-taizhang-signature'] === want) {
      hooks.signed += 1
      try { hooks.actions.add(JSON.parse(body.toString()).action) } catch { hooks.badSignature += 1 }
    } else hooks.badSignature += 1
    res.writeHead(204)
    res.end()
  })
})

async function startServer() {
  const log = createWriteStream(join(work, 'server.log'))
  if (!hookServer.listening) await new Promise((r) => hookServer.listen(0, '127.0.0.1', r))
  const hookUrl = `http://127.0.0.1:${hookServer.address().port}/hooks`
  server = spawn(BIN, ['--database-url', database, '--bind', '127.0.0.1:0', '--log-format', 'json', '--webhook-url', hookUrl, '--webhook-secret', HOOK_SECRET], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, RUST_LOG: 'info' },
  })
  server.stdout.pipe(log)
  // The port comes from the server's own line "taizhang listening on http://127.0.0.1:PORT/".
  const origin = await new Promise((resolveOrigin, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening" line in ${WAIT} ms; see ${join(work, 'server.log')}`)), WAIT)
    let buffered = ''
    server.stderr.on('data', (chunk) => {
      log.write(chunk)
      buffered += chunk.toString()
      const m = buffered.match(/listening on (http:\/\/127\.0\.0\.1:\d+)\//)
      if (m) {
        clearTimeout(timer)
        resolveOrigin(m[1])
      }
    })
    server.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the server exited with ${code} before listening; see ${join(work, 'server.log')}`))
    })
  })
  const deadline = Date.now() + WAIT
  for (;;) {
    try {
      const r = await fetch(`${origin}/healthz`)
      if (r.ok) break
    } catch {
      // not answering yet
    }
    if (Date.now() > deadline) throw new Error(`${origin}/healthz did not answer in ${WAIT} ms`)
    await new Promise((r) => setTimeout(r, 100))
  }
  return origin
}

async function api(origin, query, variables = {}, token) {
  const headers = { 'Content-Type': 'application/json' }
  if (token) headers.Authorization = `Bearer ${token}`
  const r = await fetch(`${origin}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) })
  const body = await r.json()
  if (body.errors) throw new Error(`${query}: ${JSON.stringify(body.errors)}`)
  return body.data
}

async function apiLogin(origin, username, password) {
  const data = await api(origin, 'mutation($i: LoginInput!) { login(input: $i) { token } }', { i: { username, password } })
  return data.login.token
}

/** The login went through POST /session: an HttpOnly SameSite=Strict cookie, the token nowhere a script can read. */
async function sessionIsACookie(page, role) {
  const cookie = (await page.context().cookies()).find((c) => c.name === 'taizhang_session')
  check(`${role}: the login set the session cookie HttpOnly and SameSite=Strict`, !!cookie && cookie.httpOnly && cookie.sameSite === 'Strict', JSON.stringify(cookie && { httpOnly: cookie.httpOnly, sameSite: cookie.sameSite }))
  if (!cookie) return
  const seen = await page.evaluate(() => ({
    cookie: document.cookie,
    stored: [localStorage, sessionStorage].flatMap((s) => Object.keys(s).map((k) => `${k}=${s.getItem(k)}`)).join('\n'),
  }))
  check(`${role}: the token is not in document.cookie`, !seen.cookie.includes(cookie.value) && !seen.cookie.includes('taizhang_session'), seen.cookie)
  check(`${role}: the token is not in localStorage or sessionStorage`, !seen.stored.includes(cookie.value) && !/token/i.test(seen.stored), seen.stored)
}

async function shot(page, name, { fullPage = true } = {}) {
  // Transitions finished, so that a screenshot shows the page as it settles. A dialog is shot
  // in the window (a full page would cut its overlay at the window's height).
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage, animations: 'disabled' })
}

async function loginInBrowser(page, origin, username, password) {
  await page.goto(`${origin}/`)
  await page.waitForURL(/\/login/, { timeout: WAIT })
  await page.locator('input[name=username]').fill(username)
  await page.locator('input[name=password]').fill(password)
  await page.getByRole('button', { name: '登录' }).click()
  await page.waitForURL(/\/dashboard/, { timeout: WAIT })
  await sessionIsACookie(page, username)
}

/** The five card figures as shown. */
async function cardFigures(page) {
  const figures = {}
  for (const card of ['total', 'closed', 'overdue', 'completion', 'on-time']) {
    figures[card] = (await page.locator(`[data-test=card-${card}] [data-test=figure]`).innerText()).trim()
  }
  return figures
}

function expectedFigures(s) {
  return {
    total: String(s.total),
    closed: String(s.closed),
    overdue: String(s.overdue),
    completion: formatRate(s.completionRate),
    'on-time': formatRate(s.onTimeRate),
  }
}

const STATS = 'total closed overdue completionRate onTimeRate asOf'

async function dashboardMatches(page, origin, token, role, asOfDay) {
  const campaign = (await api(origin, '{ campaigns(first: 100) { nodes { id name } } }', {}, token)).campaigns.nodes[0]
  const asOf = asOfDay ? `${asOfDay}T23:59:59+08:00` : null
  const stats = (
    await api(origin, `query($c: ID!, $a: DateTime) { ledgerStats(filter: {campaignId: $c}, asOf: $a) { ${STATS} } }`, { c: campaign.id, a: asOf }, token)
  ).ledgerStats
  const note = page.locator('[data-test=as-of-note]')
  await note.waitFor({ timeout: WAIT })
  if (asOfDay) await page.waitForFunction((d) => document.querySelector('[data-test=as-of-note]')?.textContent?.includes(d), asOfDay, { timeout: WAIT })
  // Both charts have drawn on their canvas.
  await page.locator('[data-test=trend-chart] canvas').waitFor({ timeout: WAIT })
  await page.locator('[data-test=ranking-chart] canvas').waitFor({ timeout: WAIT })
  const shown = await cardFigures(page)
  const expected = expectedFigures(stats)
  check(`${role}: the dashboard's cards equal ledgerStats${asOfDay ? ` as of ${asOfDay}` : ''}`, JSON.stringify(shown) === JSON.stringify(expected), `shown ${JSON.stringify(shown)} expected ${JSON.stringify(expected)}`)
  if (!asOfDay) await watchMatches(page, origin, token, role, campaign.id)
  return stats
}

// The 重点关注 row: due within 7 working days and satisfaction against the threshold, as the API
// gives them to this account.
async function watchMatches(page, origin, token, role, campaignId) {
  const data = await api(
    origin,
    `query($c: ID!) { measures(filter: {campaignId: $c, dueWithinWorkingDays: 7}) { totalCount }
      unitRanking(campaignId: $c) { rows { overdue satisfactionRate } }
      campaigns(first: 100) { nodes { id satisfactionThreshold } } }`,
    { c: campaignId },
    token,
  )
  const threshold = data.campaigns.nodes.find((c) => c.id === campaignId).satisfactionThreshold
  const below = data.unitRanking.rows.filter((r) => r.satisfactionRate !== null && r.satisfactionRate < threshold).length
  const overdueUnits = data.unitRanking.rows.filter((r) => r.overdue > 0).length
  const due = page.locator('[data-test=watch-due]')
  await due.waitFor({ timeout: WAIT })
  await page.waitForFunction((n) => document.querySelector('[data-test=watch-due]')?.textContent?.includes(`共 ${n} 项`), data.measures.totalCount, { timeout: WAIT })
  check(`${role}: 7个工作日内到期 counts what dueWithinWorkingDays: 7 gives (${data.measures.totalCount})`, true)
  const tags = await page.locator('[data-test=watch-satisfaction] [data-test=satisfaction-tag]').allInnerTexts()
  check(`${role}: 满意度 marks ${below} unit(s) 未达标 as the ranking's rates against the threshold say`, tags.filter((t) => t === '未达标').length === below, JSON.stringify(tags))
  const overdueRows = await page.locator('[data-test=watch-overdue] tbody tr').count()
  check(`${role}: 逾期未完成 lists the units with overdue measures (at most 10)`, overdueRows === Math.min(10, overdueUnits), `${overdueRows} vs ${overdueUnits}`)
  check(`${role}: 督办未回复 is shown`, (await page.locator('[data-test=watch-supervision]').count()) === 1)
}

async function visitLedgerAndMeasure(page, origin, token, role) {
  await page.getByRole('menuitem', { name: '台账' }).click()
  await page.waitForURL(/\/ledger/, { timeout: WAIT })
  const table = page.locator('[data-test=ledger-table]')
  await table.locator('[data-test=measure-link]').first().waitFor({ timeout: WAIT })
  const total = (await api(origin, '{ measures { totalCount } }', {}, token)).measures.totalCount
  const pagerTotal = (await page.locator('[data-test=measures-pane] .el-pagination__total').innerText()).replace(/\D/g, '')
  check(`${role}: the ledger counts the measures the API gives this account (${total})`, pagerTotal === String(total), `pager says ${pagerTotal}`)
  const statuses = await table.locator('[data-test=status]').allInnerTexts()
  check(`${role}: the ledger names statuses in Chinese`, statuses.length > 0 && statuses.every((s) => STATUS_NAMES.includes(s.trim())), JSON.stringify(statuses))
  await shot(page, `${role}-ledger`)
  if (total > 40) {
    // Page 3 of 20 rows: the rows the API gives after the 40th in the same order.
    const api3 = (
      await api(origin, '{ measures(orderBy: DEADLINE_ASC, first: 40) { edges { cursor } } }', {}, token)
    ).measures.edges.at(-1).cursor
    const expected = (
      await api(origin, 'query($a: String) { measures(orderBy: DEADLINE_ASC, first: 20, after: $a) { nodes { title } } }', { a: api3 }, token)
    ).measures.nodes.map((n) => n.title)
    await page.locator('[data-test=measures-pane] .el-pager li', { hasText: /^3$/ }).click()
    await page.waitForFunction(
      (first) => document.querySelector('[data-test=ledger-table] [data-test=measure-link]')?.textContent?.trim() === first,
      expected[0],
      { timeout: WAIT },
    )
    const shown = (await table.locator('[data-test=measure-link]').allInnerTexts()).map((t) => t.trim())
    check(`${role}: page 3 of the ledger shows rows 41–60 of the API's order`, JSON.stringify(shown) === JSON.stringify(expected), `${shown.length} rows`)
    await shot(page, `${role}-ledger-page-3`)
  }
  const firstTitle = (await table.locator('[data-test=measure-link]').first().innerText()).trim()
  await table.locator('[data-test=measure-link]').first().click()
  await page.waitForURL(/\/measures\//, { timeout: WAIT })
  const title = page.locator('[data-test=measure-title]')
  await title.waitFor({ timeout: WAIT })
  check(`${role}: the measure page shows the measure clicked`, (await title.innerText()).trim() === firstTitle)
  const id = page.url().split('/measures/')[1]
  const history = (await api(origin, 'query($id: ID!) { node(id: $id) { ... on Measure { history { totalCount } } } }', { id }, token)).node.history.totalCount
  const items = await page.locator('[data-test=history] .el-timeline-item').count()
  check(`${role}: the measure's history shows its ${history} audit events`, items === Math.min(history, 100), `timeline has ${items}`)
  const links = page.locator('[data-test=evidence-download]')
  if ((await links.count()) > 0) {
    const name = (await links.first().innerText()).trim()
    const [file] = await Promise.all([page.waitForEvent('download', { timeout: WAIT }), links.first().click()])
    check(`${role}: an evidence file downloads under its own name`, file.suggestedFilename() === name, `${file.suggestedFilename()} ≠ ${name}`)
  }
  await shot(page, `${role}-measure`)
}

async function main() {
  mkdirSync(SHOTS, { recursive: true })
  const demo = execFileSync(BIN, ['--database-url', database, 'demo'], { encoding: 'utf8', timeout: 300_000, stdio: ['ignore', 'pipe', 'pipe'] })
  const accounts = Object.fromEntries([...demo.matchAll(/account (\S+) \/ password (\S+)/g)].map((m) => [m[1], m[2]]))
  check('the demo printed the accounts admin, shuili, ducha and jiwei', ['admin', 'shuili', 'ducha', 'jiwei'].every((a) => accounts[a]), JSON.stringify(Object.keys(accounts)))
  let origin = await startServer()
  // A binary built from another commit embeds another console: put this checkout's web/dist in
  // front of it (front.mjs), so that the pages tested are the ones of these sources.
  const dist = join(here, '..', 'dist')
  if (!(await servesDist(origin, dist))) {
    front = await startFront(origin, dist)
    console.log(`the binary's console is not this checkout's web/dist: serving web/dist at ${front.origin} in front of ${origin}`)
    origin = front.origin
  }
  console.log(`server at ${origin}; screenshots in ${SHOTS}`)

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  })
  const foreign = []
  const pageErrors = []
  // Every request the console sends to the server other than GET carries the CSRF header.
  const unmarked = []
  // Every GraphQL document the pages send (POST bodies and subscription frames), checked
  // against the committed schema.graphql at the end.
  const documents = new Set()
  const noteDocument = (text) => {
    try {
      const body = JSON.parse(text)
      const query = body?.query ?? body?.payload?.query
      if (typeof query === 'string') documents.add(query)
    } catch {
      // Not JSON: a multipart upload, whose document is in its `operations` part.
      const operations = /name="operations"\r\n(?:[^\r\n]+\r\n)*\r\n([^\r\n]*)/.exec(text)?.[1]
      if (operations) noteDocument(operations)
    }
  }
  // Each account in a browser context of its own: its own session cookie, as on its own machine.
  const newContext = async () => {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
      // Not Beijing: the console must show China Standard Time whatever the browser's zone.
      timezoneId: 'UTC',
    })
    // Every action and wait gets the generous timeout, not Playwright's 30 s default.
    context.setDefaultTimeout(WAIT)
    context.setDefaultNavigationTimeout(WAIT)
    await context.route('**/*', (route) => {
      const url = route.request().url()
      if (url.startsWith(origin) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue()
      foreign.push(url)
      return route.abort()
    })
    context.on('weberror', (e) => pageErrors.push(String(e.error())))
    context.on('request', (r) => {
      if (r.url().startsWith(origin) && r.method() !== 'GET' && r.headers()['x-requested-with'] !== 'taizhang') unmarked.push(`${r.method()} ${r.url()}`)
      if (r.url() === `${origin}/graphql` && r.method() === 'POST' && r.postData()) noteDocument(r.postData())
    })
    context.on('page', (page) => {
      page.on('websocket', (ws) => ws.on('framesent', (f) => typeof f.payload === 'string' && noteDocument(f.payload)))
    })
    return context
  }
  const watch = (page, role) => {
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(`${role}: ${m.text()}`)
    })
  }

  // admin: the whole county, the dashboard now and as of a past day, the ledger and a measure.
  const adminContext = await newContext()
  const admin = await adminContext.newPage()
  watch(admin, 'admin')
  await admin.goto(`${origin}/`)
  await admin.waitForURL(/\/login/, { timeout: WAIT })
  await admin.locator('input[name=username]').waitFor({ timeout: WAIT })
  await shot(admin, 'login')
  await admin.locator('input[name=username]').fill('admin')
  await admin.locator('input[name=password]').fill('wrong password')
  const errorsBefore = pageErrors.length
  await admin.getByRole('button', { name: '登录' }).click()
  await admin.locator('[data-test=login-error]').waitFor({ timeout: WAIT })
  // POST /session answers the refused login with 401, which Chromium logs as a failed resource.
  for (let i = pageErrors.length - 1; i >= errorsBefore; i--) if (/status of 401/.test(pageErrors[i])) pageErrors.splice(i, 1)
  await shot(admin, 'login-refused')
  check('a wrong password is refused with a message on the login page', admin.url().includes('/login'))
  await admin.locator('input[name=password]').fill(accounts.admin)
  await admin.getByRole('button', { name: '登录' }).click()
  await admin.waitForURL(/\/dashboard/, { timeout: WAIT })
  await sessionIsACookie(admin, 'admin')
  const adminToken = await apiLogin(origin, 'admin', accounts.admin)
  await dashboardMatches(admin, origin, adminToken, 'admin')
  await shot(admin, 'admin-dashboard')
  const past = cstDate(Date.now() - 20 * 86400_000)
  const picker = admin.locator('[data-test=as-of] input').first()
  await picker.click()
  await picker.fill(past)
  await picker.press('Enter')
  await dashboardMatches(admin, origin, adminToken, 'admin', past)
  await admin.keyboard.press('Escape')
  await shot(admin, 'admin-dashboard-as-of')
  await visitLedgerAndMeasure(admin, origin, adminToken, 'admin')
  await admin.getByRole('menuitem', { name: '我的' }).click()
  await admin.locator('[data-test=grants] .el-tag').first().waitFor({ timeout: WAIT })
  check('admin: 我的 shows the ADMIN grant', (await admin.locator('[data-test=grants]').innerText()).includes('管理员'))
  await shot(admin, 'admin-me')
  const t = { origin, WAIT, check, shot, api: (query, variables = {}, token) => api(origin, query, variables, token) }
  await adminPages(t, admin, adminToken)

  // Time to first render of the dashboard: navigation to both charts drawn, median of 5.
  const times = []
  for (let i = 0; i < 5; i++) {
    const start = Date.now()
    await admin.goto(`${origin}/dashboard`)
    await admin.locator('[data-test=card-total] [data-test=figure]').waitFor({ timeout: WAIT })
    await admin.locator('[data-test=ranking-chart] canvas').waitFor({ timeout: WAIT })
    await admin.locator('[data-test=trend-chart] canvas').waitFor({ timeout: WAIT })
    times.push(Date.now() - start)
  }
  times.sort((a, b) => a - b)
  console.log(`dashboard time to first render (ms, 5 runs): ${times.join(', ')}; median ${times[2]}`)

  // shuili: the water department's liaison sees its own units' measures only.
  const shuiliContext = await newContext()
  const shuili = await shuiliContext.newPage()
  watch(shuili, 'shuili')
  await loginInBrowser(shuili, origin, 'shuili', accounts.shuili)
  const shuiliToken = await apiLogin(origin, 'shuili', accounts.shuili)
  await dashboardMatches(shuili, origin, shuiliToken, 'shuili')
  await shot(shuili, 'shuili-dashboard')
  await visitLedgerAndMeasure(shuili, origin, shuiliToken, 'shuili')
  const adminTotal = (await api(origin, '{ measures { totalCount } }', {}, adminToken)).measures.totalCount
  const shuiliTotal = (await api(origin, '{ measures { totalCount } }', {}, shuiliToken)).measures.totalCount
  check('shuili sees fewer measures than admin', shuiliTotal > 0 && shuiliTotal < adminTotal, `${shuiliTotal} of ${adminTotal}`)
  await shuili.getByRole('menuitem', { name: '我的' }).click()
  await shuili.locator('[data-test=grants] .el-tag').first().waitFor({ timeout: WAIT })
  check('shuili: 我的 shows the EDITOR grant on 县水利局', /编辑（联络员）[\s\S]*水利局/.test(await shuili.locator('[data-test=grants]').innerText()))
  await shot(shuili, 'shuili-me')
  const duchaToken = await apiLogin(origin, 'ducha', accounts.ducha)
  await shuiliPages(t, shuili, shuiliToken, duchaToken)

  // ducha (督查组): dashboard.
  const duchaContext = await newContext()
  const ducha = await duchaContext.newPage()
  watch(ducha, 'ducha')
  await loginInBrowser(ducha, origin, 'ducha', accounts.ducha)
  await dashboardMatches(ducha, origin, duchaToken, 'ducha')
  await shot(ducha, 'ducha-dashboard')
  await duchaPages(t, ducha, duchaToken)

  // jiwei: changes the password on 我的, logs out, and logs in with the new one.
  const jiwei = await (await newContext()).newPage()
  watch(jiwei, 'jiwei')
  await loginInBrowser(jiwei, origin, 'jiwei', accounts.jiwei)
  await jiweiPages(t, jiwei)
  await accountabilityScenario(t, jiwei, await apiLogin(origin, 'jiwei', accounts.jiwei))
  await jiwei.getByRole('menuitem', { name: '我的' }).click()
  await jiwei.locator('[data-test=grants] .el-tag').first().waitFor({ timeout: WAIT })
  const fresh = `新的口令-${Date.now()}-足够长`
  const inputs = jiwei.locator('form input[type=password]')
  await inputs.nth(0).fill(accounts.jiwei)
  await inputs.nth(1).fill(fresh)
  await inputs.nth(2).fill(fresh)
  await jiwei.getByRole('button', { name: '修改密码' }).click()
  await jiwei.locator('.el-message--success').waitFor({ timeout: WAIT })
  check('jiwei: the password is changed from 我的', true)
  await jiwei.getByRole('button', { name: '退出登录' }).click()
  await jiwei.waitForURL(/\/login/, { timeout: WAIT })
  await jiwei.goto(`${origin}/ledger`)
  await jiwei.waitForURL(/\/login/, { timeout: WAIT })
  check('jiwei: after logging out the console asks for a login again', jiwei.url().includes('/login'))
  await loginInBrowser(jiwei, origin, 'jiwei', fresh)
  check('jiwei: the new password logs in', jiwei.url().includes('/dashboard'))
  // The cookie gone (expired, cleared) while the console still thinks it is logged in: the
  // server's answer sends it to the login page, with the page asked for.
  await jiwei.context().clearCookies()
  await jiwei.goto(`${origin}/ledger`)
  await jiwei.waitForURL(/\/login\?redirect=(%2F|\/)ledger/, { timeout: WAIT })
  check('jiwei: without its session cookie the console asks for a login, keeping the page asked for', true)

  // The measure's actions and live updates: shuili, ducha and admin, each in its own context.
  const adminLedger = await adminContext.newPage()
  watch(adminLedger, 'admin (ledger)')
  const adminDashboard = await adminContext.newPage()
  watch(adminDashboard, 'admin (dashboard)')
  const liveStarted = Date.now()
  await liveScenarios(t, { shuili, ducha, admin, adminLedger, adminDashboard }, { shuili: shuiliToken, ducha: duchaToken, admin: adminToken })
  console.log(`actions and live updates took ${((Date.now() - liveStarted) / 1000).toFixed(1)} s`)

  // 问责, 考核 and 督查 (e2e/practice.mjs).
  await shuiliAccountability(t, shuili, shuiliToken)
  await scoringScenario(t, { ducha, admin }, { ducha: duchaToken, admin: adminToken })
  await inspectionScenario(t, ducha, duchaToken)

  // The public pages, in a context of its own: no session cookie.
  const anonymous = await (await newContext()).newPage()
  watch(anonymous, 'anonymous')
  await anonymousPages(t, anonymous)

  // GraphiQL at /graphql, offline, in admin's context: its docs list Measure, and a query runs
  // signed in by the session cookie (with the CSRF header its fetcher sends).
  const graphiql = await adminContext.newPage()
  watch(graphiql, 'graphiql')
  await graphiql.goto(`${origin}/graphql`)
  await graphiql.locator('.graphiql-container').waitFor({ timeout: WAIT })
  await graphiql.getByRole('button', { name: /documentation explorer/i }).first().click()
  const docs = graphiql.locator('.graphiql-doc-explorer')
  await docs.waitFor({ timeout: WAIT })
  // The schema's front page lists every type: Measure among them, read by introspection.
  await docs.locator('a.graphiql-doc-explorer-type-name', { hasText: /^Measure$/ }).first().click({ timeout: WAIT })
  await docs.locator('.graphiql-doc-explorer-title', { hasText: /^Measure$/ }).waitFor({ timeout: WAIT })
  await docs.locator('a.graphiql-doc-explorer-field-name', { hasText: /^deadline$/ }).first().waitFor({ timeout: WAIT })
  await graphiql.locator('.graphiql-query-editor .monaco-editor .view-lines').first().waitFor({ timeout: WAIT })
  check('GraphiQL loads offline and its docs list Measure', true)
  await graphiql.locator('.graphiql-query-editor .monaco-editor').first().click()
  await graphiql.keyboard.press('Control+A')
  await graphiql.keyboard.press('Delete')
  await graphiql.keyboard.insertText('{ me { username displayName } }')
  await graphiql.locator('button.graphiql-execute-button').click()
  await graphiql.locator('.graphiql-response', { hasText: '"username": "admin"' }).waitFor({ timeout: WAIT })
  check('GraphiQL runs a query signed in by the console\'s session cookie (me is admin)', true)
  await shot(graphiql, 'graphiql')

  check('every request other than GET carried X-Requested-With: taizhang', unmarked.length === 0, JSON.stringify(unmarked.slice(0, 5)))

  const schema = buildSchema(readFileSync(join(here, '..', '..', 'schema.graphql'), 'utf8'))
  const invalid = [...documents].flatMap((d) => validate(schema, parse(d)).map((e) => `${e.message} in ${d.slice(0, 80)}`))
  check(`every GraphQL document the console sent (${documents.size}) is valid against schema.graphql`, documents.size > 20 && invalid.length === 0, JSON.stringify(invalid.slice(0, 5)))

  check(`webhooks: the receiver got ${hooks.signed} signed events (${hooks.actions.size} kinds, 督办 and 签收 among them), none badly signed`,
    hooks.signed > 0 && hooks.badSignature === 0 && hooks.actions.has('supervision.issue') && hooks.actions.has('receipt.acknowledge'), JSON.stringify([...hooks.actions]))
  check('no page asked for another host', foreign.length === 0, JSON.stringify(foreign.slice(0, 5)))
  check('no page logged an error', pageErrors.length === 0, JSON.stringify(pageErrors.slice(0, 5)))
}

let code = 0
const started = Date.now()
try {
  await main()
} catch (e) {
  failed += 1
  failures.push(String(e?.message ?? e))
  console.log(`FAIL ${e?.stack ?? e}`)
} finally {
  await browser?.close().catch(() => undefined)
  await front?.stop()
  hookServer.close()
  if (server && server.exitCode === null) {
    server.kill('SIGTERM')
    await new Promise((r) => {
      const t = setTimeout(() => { server.kill('SIGKILL'); r() }, 10_000)
      server.on('exit', () => { clearTimeout(t); r() })
    })
  }
  if (failed === 0) rmSync(work, { recursive: true, force: true })
  else console.log(`kept ${work} (server.log, the database) for a look`)
  console.log(`browser: ${passed} passed, ${failed} failed in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  code = failed === 0 ? 0 : 1
}
process.exit(code)
