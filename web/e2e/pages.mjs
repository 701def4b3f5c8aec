// The console's pages beyond the dashboard and the ledger's measures (issue 11): the problem
// list and page, exports, a measure's history diffs and evidence upload, 督办, 意见·测评·承诺,
// 通报 and its printable page, 审计, 管理, and the public pages /public and /verify. Each
// function drives one account through its pages and compares what they show with what the API
// gives that account. `t` carries the runner's helpers: { origin, api, check, shot, WAIT }.

const count = async (locator) => locator.count()
const digits = (text) => text.replace(/\D/g, '')

/** The figure a pager shows as its total ("共 N 条"). */
async function pagerTotal(page, scope) {
  const total = page.locator(`${scope} .el-pagination__total`).first()
  await total.waitFor()
  return Number(digits(await total.innerText()))
}

/** Menu labels of the shell. */
async function menu(page) {
  await page.locator('[data-test=menu] .el-menu-item').first().waitFor()
  return (await page.locator('[data-test=menu] .el-menu-item').allInnerTexts()).map((s) => s.trim())
}

async function open(page, t, path, ready) {
  await page.goto(`${t.origin}${path}`)
  await page.locator(ready).first().waitFor({ timeout: t.WAIT })
}

/** Waits until the table's loading mask is gone, so that counts read the rows of the answer. */
async function settled(page, table) {
  await page.waitForFunction((sel) => {
    const el = document.querySelector(sel)
    return el && !el.querySelector('.el-loading-mask')
  }, table)
}

/** Today in China Standard Time, and a day `days` before it (YYYY-MM-DD). */
const cstDay = (days = 0) => new Date(Date.now() + 8 * 3600_000 - days * 86_400_000).toISOString().slice(0, 10)

/** Picks the option showing `text` of an Element Plus select. */
async function choose(page, select, text) {
  // The dropdown opened last is the newest popper; one still fading out (of another select just
  // closed or removed) may also be visible for a moment, so check the choice took and retry.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    await select.click()
    const item = page.locator('.el-select-dropdown__item:visible', { hasText: text }).last()
    await item.waitFor()
    await item.click()
    if ((await select.innerText()).includes(text)) return
    await page.waitForTimeout(300)
  }
  throw new Error(`could not choose ${text}`)
}

const MISSING = `query($c: ID!, $on: Date, $limit: Int!) { missingReports(campaignId: $c, on: $on, limit: $limit) {
  on totalCount stillMissing rhythm { since default { kind weekday } }
  byUnit { unit { name } missed } items { measure { id title } periodFrom dueOn filedOn } } }`
const RHYTHM_OF = `query($id: ID!) { node(id: $id) { ... on Campaign { version reportRhythm { since default { kind weekday } units { unit { id } } } } } }`
const SET_RHYTHM = 'mutation($i: SetReportRhythmInput!) { setReportRhythm(input: $i) { campaign { version } } }'

/** A rhythm in words as the 报送 page should say it (written out here, not taken from the console). */
function rhythmWords(r) {
  if (!r?.default) return '未设置报送频次，不要求定期报送进展'
  const day = ['一', '二', '三', '四', '五', '六', '日'][r.default.weekday - 1]
  return { DAILY: '日报：每个工作日报送', WEEKLY: `周报：每周${day}报送`, HALF_MONTHLY: '半月报：每月15日和月末报送', MONTHLY: '月报：每月月末报送' }[r.default.kind]
}

/**
 * The 报送 page open on the first campaign, as of `on` (today when null), against what
 * `missingReports` gives the account: the rhythm in words, the figures, the count per unit, the
 * first page of reports (20) with a 未报送 tag on each still missing, and the pager's total.
 */
async function reportsDueMatch(t, page, token, role, on = null) {
  const { api, check } = t
  const campaign = (await api('{ campaigns(first: 100) { nodes { id } } }', {}, token)).campaigns.nodes[0].id
  const m = (await api(MISSING, { c: campaign, on, limit: 20 }, token)).missingReports
  await page.waitForFunction((d) => document.querySelector('[data-test=missing-on]')?.textContent?.includes(d), m.on)
  await settled(page, '[data-test=missing-items]')
  const text = async (sel) => (await page.locator(sel).first().innerText()).trim()
  const figures = [await text('[data-test=count-missed]'), await text('[data-test=count-still-missing]')]
  check(`${role}: 报送's figures as of ${m.on} are missingReports' (应报未报 ${m.totalCount}, 仍未报送 ${m.stillMissing})`,
    figures[0] === String(m.totalCount) && figures[1] === String(m.stillMissing), JSON.stringify(figures))
  const words = await text('[data-test=rhythm-words]')
  check(`${role}: 报送 names the rhythm in words (${rhythmWords(m.rhythm)})`, words === rhythmWords(m.rhythm), words)
  const units = await page.locator('[data-test=missing-by-unit] .el-table__body tr.el-table__row').evaluateAll((rows) =>
    rows.map((r) => `${r.querySelector('[data-test=by-unit-name]')?.textContent.trim()} ${r.querySelector('[data-test=by-unit-missed]')?.textContent.trim()}`))
  const expectedUnits = m.byUnit.map((u) => `${u.unit?.name ?? '—'} ${u.missed}`)
  check(`${role}: 报送 counts by unit as missingReports' byUnit (${expectedUnits.length} units)`, JSON.stringify(units) === JSON.stringify(expectedUnits), `${JSON.stringify(units)} vs ${JSON.stringify(expectedUnits)}`)
  const titles = (await page.locator('[data-test=missing-items] [data-test=missing-measure]').allInnerTexts()).map((s) => s.trim())
  const tags = await count(page.locator('[data-test=missing-items] [data-test=missing-tag]'))
  check(`${role}: 报送 lists the reports of the first page, ${m.items.filter((i) => !i.filedOn).length} of them tagged 未报送`,
    JSON.stringify(titles) === JSON.stringify(m.items.filter((i) => i.measure).map((i) => i.measure.title)) && tags === m.items.filter((i) => !i.filedOn).length,
    `${titles.length} rows, ${tags} tags`)
  check(`${role}: 报送's pager counts the ${m.totalCount} reports`, (await pagerTotal(page, '[data-test=missing-pager]')) === m.totalCount)
  return { campaign, ...m }
}

export async function adminPages(t, page, token) {
  const { api, check, shot } = t
  const labels = await menu(page)
  check('admin: the menu offers every page', ['图版', '台账', '督办', '报送', '意见·测评·承诺', '通报', '审计', '管理', '我的'].every((l) => labels.includes(l)), JSON.stringify(labels))

  // 台账 → 问题清单: the count, then a problem's page and its measures.
  await open(page, t, '/ledger?tab=problems', '[data-test=problem-link]')
  const problems = (await api('{ problems { totalCount } }', {}, token)).problems.totalCount
  check(`admin: the problem list counts the problems the API gives (${problems})`, (await pagerTotal(page, '[data-test=problems-pane]')) === problems)
  await shot(page, 'admin-problems')
  const code = (await page.locator('[data-test=problem-link]').first().innerText()).trim()
  await page.locator('[data-test=problem-link]').first().click()
  await page.waitForURL(/\/problems\//)
  await page.locator('[data-test=problem-heading]').waitFor()
  const problemId = page.url().split('/problems/')[1]
  const problem = (await api('query($id: ID!) { node(id: $id) { ... on Problem { code measures { id } history { totalCount } } } }', { id: problemId }, token)).node
  check('admin: the problem page shows the problem clicked', (await page.locator('[data-test=problem-heading]').innerText()).startsWith(code) && problem.code === code)
  check(`admin: the problem page lists its ${problem.measures.length} measures`, (await count(page.locator('[data-test=problem-measure-link]'))) === problem.measures.length)
  check(`admin: the problem page shows its ${problem.history.totalCount} audit events`, (await count(page.locator('[data-test=history] .el-timeline-item'))) === Math.min(problem.history.totalCount, 100))
  await shot(page, 'admin-problem')
  await page.locator('[data-test=problem-measure-link]').first().click()
  await page.waitForURL(/\/measures\//)
  await page.locator('[data-test=measure-title]').waitFor()
  check('admin: a problem\'s measure links to the measure page', true)
  // An update event shows its per-field diff, in Chinese.
  const diffs = page.locator('[data-test=history] [data-test=diff]')
  check('admin: the measure history shows before/after diffs', (await diffs.count()) > 0)
  await shot(page, 'admin-measure-history')

  // Exports of the same filter, with the bearer token.
  await open(page, t, '/ledger', '[data-test=measure-link]')
  for (const [button, name] of [['export-csv', '整改台账.csv'], ['export-xlsx', '整改台账.xlsx']]) {
    const [file] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-test=measures-pane] [data-test=${button}]`).click()])
    const path = await file.path()
    const { size } = await import('node:fs').then((fs) => fs.statSync(path))
    check(`admin: ${name} downloads (${size} bytes)`, file.suggestedFilename() === name && size > 1000, file.suggestedFilename())
    if (button === 'export-csv') {
      const text = (await import('node:fs')).readFileSync(path, 'utf8')
      const measures = (await api('{ measures { totalCount } }', {}, token)).measures.totalCount
      const lines = text.trim().split('\n').length
      check(`admin: the CSV holds a line per measure (${measures}) under its header`, lines >= measures + 1, `${lines} lines`)
    }
  }

  // 审计: the search counts the trail, verification checks every event.
  await open(page, t, '/audit', '[data-test=audit-action]')
  const head = (await api('{ auditHead { seq hash } auditEvents { totalCount } }', {}, token))
  check(`admin: the audit search counts the trail's ${head.auditEvents.totalCount} events`, (await pagerTotal(page, '')) === head.auditEvents.totalCount)
  const actions = await page.locator('[data-test=audit-action]').allInnerTexts()
  check('admin: audit actions are named in Chinese', actions.length > 0 && actions.every((a) => /[\u4e00-\u9fff]/.test(a)), JSON.stringify(actions.slice(0, 3)))
  await page.locator('.el-table__expand-icon').first().click()
  await page.locator('[data-test=audit-table] [data-test=diff]').first().waitFor()
  await page.locator('[data-test=verify-audit]').click()
  await page.locator('[data-test=checked-events]').waitFor()
  check(`admin: verifying the trail checks all ${head.auditHead.seq} events and finds it whole`,
    (await page.locator('[data-test=checked-events]').innerText()).trim() === String(head.auditHead.seq) && (await page.locator('[data-test=verify-result]').innerText()).includes('留痕完整'))
  await shot(page, 'admin-audit')
  // Page 3 of 20 events, newest first: one request with offset 40, answering the events the API
  // gives after the 40th (found here by its cursor, the other way of paging).
  const after40 = (await api('{ auditEvents(orderBy: SEQ_DESC, first: 40) { edges { cursor } } }', {}, token)).auditEvents.edges.at(-1).cursor
  const expected = (await api('query($a: String) { auditEvents(orderBy: SEQ_DESC, first: 20, after: $a) { nodes { seq } } }', { a: after40 }, token))
    .auditEvents.nodes.map((n) => String(n.seq))
  const asked = []
  const noteAudit = (r) => {
    if (r.url().endsWith('/graphql') && r.method() === 'POST' && r.postData()?.includes('auditEvents(')) asked.push(JSON.parse(r.postData()).variables)
  }
  page.on('request', noteAudit)
  await page.locator('[data-test=audit-pager] .el-pager li', { hasText: /^3$/ }).click()
  await page.waitForFunction((first) => document.querySelector('[data-test=audit-table] [data-test=audit-seq]')?.textContent?.trim() === first, expected[0], { timeout: t.WAIT })
  await settled(page, '[data-test=audit-table]')
  page.off('request', noteAudit)
  const seqs = (await page.locator('[data-test=audit-table] [data-test=audit-seq]').allInnerTexts()).map((s) => s.trim())
  check(`admin: page 3 of the audit search shows events 41–60 of the trail (${expected[0]}…${expected.at(-1)}), asked in one request with offset 40`,
    expected.length === 20 && JSON.stringify(seqs) === JSON.stringify(expected) && asked.length === 1 && asked[0].offset === 40 && asked[0].first === 20,
    `shown ${seqs.slice(0, 3)}… asked ${JSON.stringify(asked)}`)
  await shot(page, 'admin-audit-page-3')

  // 管理: the unit tree, people, accounts, calendar, campaigns, each against the API.
  await open(page, t, '/admin', '[data-test=unit-tree] .el-tree-node')
  await page.locator('[data-test=unit-form]').waitFor()
  const units = (await api('{ units { totalCount } }', {}, token)).units.totalCount
  check(`admin: the unit tree shows the ${units} units`, (await count(page.locator('[data-test=unit-tree] .el-tree-node'))) === units)
  await shot(page, 'admin-units')
  // A new subunit under the selected (root) unit appears in the tree, then is archived.
  await page.locator('[data-test=unit-create]').click()
  const dialog = page.locator('.el-dialog:visible')
  await dialog.locator('input').nth(0).fill('浏览器测试股')
  await dialog.locator('input').nth(1).fill('E2E-TEST')
  await dialog.getByRole('button', { name: '新建' }).click()
  await page.locator('[data-test=unit-tree] .el-tree-node__content', { hasText: '浏览器测试股' }).waitFor()
  check('admin: a unit created in the tree appears in it', (await count(page.locator('[data-test=unit-tree] .el-tree-node'))) === units + 1)
  await page.locator('[data-test=unit-form] .el-card__header', { hasText: '浏览器测试股' }).waitFor()
  await page.locator('[data-test=unit-form]').getByRole('button', { name: '归档' }).click()
  await page.locator('[data-test=reason-input]').fill('浏览器测试建立，随即归档')
  await page.locator('[data-test=reason-confirm]').click()
  await page.waitForFunction((n) => document.querySelectorAll('[data-test=unit-tree] .el-tree-node').length === n, units)
  check('admin: the unit archived leaves the tree of active units', true)

  await open(page, t, '/admin?tab=people', '[data-test=people-table] .el-table__row')
  const people = (await api('{ people { totalCount } }', {}, token)).people.totalCount
  check(`admin: the people list counts ${people} people`, (await pagerTotal(page, '[data-test=people-tab]')) === people)
  await shot(page, 'admin-people')
  await open(page, t, '/admin?tab=accounts', '[data-test=account-table] .el-table__row')
  const accounts = (await api('{ accounts { totalCount } }', {}, token)).accounts.totalCount
  check(`admin: the account list shows the ${accounts} accounts with their roles`, (await count(page.locator('[data-test=account-table] .el-table__body .el-table__row'))) === accounts && (await count(page.locator('[data-test=grant-tag]'))) >= 4)
  await shot(page, 'admin-accounts')
  await open(page, t, '/admin?tab=calendar', '[data-test=calendar-table] .el-table__row')
  const year = new Date(Date.now() + 8 * 3600_000).getUTCFullYear()
  const days = (await api('query($f: Date!, $t: Date!) { calendarDays(from: $f, to: $t) { date } }', { f: `${year}-01-01`, t: `${year}-12-31` }, token)).calendarDays.length
  check(`admin: the calendar lists the ${days} holidays and 调休 days of ${year}`, (await count(page.locator('[data-test=calendar-table] .el-table__body .el-table__row'))) === days)
  await shot(page, 'admin-calendar')
  // 推送记录: the webhook log (the test's server posts to a receiver of console.mjs).
  const hooks = (await api('{ webhookDeliveries(first: 200) { configured pendingCount items { seq } } }', {}, token)).webhookDeliveries
  await open(page, t, '/admin?tab=webhooks', '[data-test=webhooks-state]')
  const state = (await page.locator('[data-test=webhooks-state]').innerText()).trim()
  const logged = await count(page.locator('[data-test=webhooks-table] .el-table__body .el-table__row'))
  check(`admin: 推送记录 says the server sends webhooks and lists the ${hooks.items.length} events the API logs`,
    hooks.configured && state.includes('已配置') && hooks.items.length > 0 && logged >= hooks.items.length && logged <= 200, `${state} ${logged}`)
  await shot(page, 'admin-webhooks')
  await open(page, t, '/admin?tab=campaigns', '[data-test=campaign-table] .el-table__row')
  const campaigns = (await api('{ campaigns { totalCount } }', {}, token)).campaigns.totalCount
  check(`admin: the campaigns tab lists ${campaigns} campaign(s)`, (await count(page.locator('[data-test=campaign-table] .el-table__body .el-table__row'))) === campaigns)
  await shot(page, 'admin-campaigns')
}

export async function shuiliPages(t, page, token, duchaToken) {
  const { api, check, shot } = t
  const labels = await menu(page)
  check('shuili: the menu leaves out 审计 and 管理', !labels.includes('审计') && !labels.includes('管理') && labels.includes('督办'), JSON.stringify(labels))
  const me = (await api('{ me { grants { unit { id } } } }', {}, token)).me
  const water = me.grants[0].unit.id

  // Evidence by drag and drop on a measure of the department, and the server's refusal of an
  // empty file at the drop zone.
  const measure = (await api('query($u: ID!) { measures(filter: { unitId: $u, includeSubunits: true, status: [IN_PROGRESS] }, first: 1) { nodes { id title evidence { id } } } }', { u: water }, token)).measures.nodes[0]
  await open(page, t, `/measures/${measure.id}`, '[data-test=evidence-upload]')
  const drop = async (name, text) => {
    const data = await page.evaluateHandle(([n, c]) => {
      const dt = new DataTransfer()
      dt.items.add(new File([c], n, { type: 'text/plain' }))
      return dt
    }, [name, text])
    await page.locator('[data-test=evidence-upload] .el-upload-dragger').dispatchEvent('drop', { dataTransfer: data })
  }
  await page.locator('[data-test=evidence-description]').fill('浏览器测试上传的整改照片说明')
  await drop('整改现场照片说明.txt', '现场已整改完毕，见附图。\n')
  await page.locator('[data-test=evidence] [data-test=evidence-download]', { hasText: '整改现场照片说明.txt' }).waitFor()
  const after = (await api('query($id: ID!) { node(id: $id) { ... on Measure { evidence { fileName description } } } }', { id: measure.id }, token)).node.evidence
  check('shuili: a file dropped on a measure is uploaded as its evidence', after.length === measure.evidence.length + 1 && after[0].fileName === '整改现场照片说明.txt' && after[0].description === '浏览器测试上传的整改照片说明')
  await drop('空文件.txt', '')
  await page.locator('[data-test=evidence-error]').waitFor()
  const refusal = (await page.locator('[data-test=evidence-error]').innerText()).trim()
  check(`shuili: the server's refusal of an empty file is shown at the drop zone (${refusal})`, refusal.length > 0)
  await shot(page, 'shuili-measure-upload')

  // 意见: record an opinion through the form; it is listed and counted.
  await open(page, t, '/intake', '[data-test=feedback-table] .el-table__row')
  const before = (await api('{ feedback { totalCount } }', {}, token)).feedback.totalCount
  check(`shuili: the opinion list counts the ${before} opinions the API gives`, (await pagerTotal(page, '[data-test=feedback-tab]')) === before)
  await page.locator('[data-test=record-feedback]').click()
  const content = `浏览器测试：东坪村灌溉渠年久失修，建议尽快维修（${Date.now()}）`
  await page.locator('[data-test=feedback-content-input]').fill(content)
  await page.locator('[data-test=feedback-save]').click()
  await page.locator('[data-test=feedback-content]', { hasText: content }).waitFor()
  const recorded = (await api('{ feedback(filter: { status: NEW }) { totalCount nodes { content channel unit { id } } } }', {}, token)).feedback
  check('shuili: an opinion recorded in the form is stored for the department', recorded.nodes.some((n) => n.content === content && n.unit.id === water))
  // The counts are read after the list: wait for them rather than race them.
  const followed = await page.waitForFunction((n) => document.querySelector('[data-test=feedback-count-NEW]')?.textContent?.trim() === String(n), recorded.totalCount, { timeout: 10_000 }).then(() => true, () => false)
  check(`shuili: the 待处理 count follows (${recorded.totalCount})`, followed)
  await shot(page, 'shuili-intake')
  await page.getByRole('tab', { name: '满意度测评' }).click()
  await page.locator('[data-test=survey-table]').waitFor()
  check('shuili: an EDITOR is not offered to record surveys', (await count(page.locator('[data-test=record-survey]'))) === 0)
  await page.getByRole('tab', { name: '公开承诺' }).click()
  await page.locator('[data-test=commitment-table] .el-table__row').first().waitFor()
  await shot(page, 'shuili-commitments')

  // 督办: the 督查组 presses the department; its liaison answers in the console.
  const pressed = (await api('mutation($i: IssueSupervisionInput!) { issueSupervision(input: $i) { supervisionAction { id } } }',
    { i: { kind: 'WRITTEN_EXPLANATION', targetUnitId: water, measureId: measure.id, content: '请书面说明该项整改的进展和下一步安排。' } }, duchaToken)).issueSupervision.supervisionAction.id
  const pressedText = '请书面说明该项整改的进展和下一步安排。'
  const row = page.locator('[data-test=addressed] .el-table__row', { hasText: pressedText })
  await open(page, t, '/supervision', '[data-test=addressed] [data-test=acknowledge]')
  const open_ = (await api('{ supervisionActions(filter: { open: true }) { totalCount } }', {}, token)).supervisionActions.totalCount
  const shownOpen = (await count(page.locator('[data-test=addressed] [data-test=open-tag]'))) + (await count(page.locator('[data-test=addressed] [data-test=unsigned-tag]')))
  check(`shuili: 督办 lists the ${open_} open action(s) addressed to the department`, shownOpen === open_, String(shownOpen))
  check('shuili: the new action waits for 签收 and offers no 答复 yet', (await count(row.locator('[data-test=respond]'))) === 0 && (await count(row.locator('[data-test=unsigned-tag]'))) === 1)
  await shot(page, 'shuili-supervision')
  // 签收 first: then 答复 is offered.
  await row.locator('[data-test=acknowledge]').click()
  await row.locator('[data-test=signed]').waitFor()
  const receipt = (await api('query($id: ID!) { node(id: $id) { ... on SupervisionAction { receipt { acknowledgedAt acknowledgerName } } } }', { id: pressed }, duchaToken)).node.receipt
  check('shuili: the 签收 is recorded on the action\'s receipt', receipt.acknowledgedAt !== null && receipt.acknowledgerName.length > 0, JSON.stringify(receipt))
  await row.locator('[data-test=respond]').click()
  await page.locator('[data-test=response-send]').click()
  await page.locator('.el-dialog .el-form-item__error').waitFor()
  check('shuili: an empty answer is refused at the answer field', (await page.locator('.el-dialog .el-form-item__error').innerText()).trim().length > 0)
  await page.locator('[data-test=response-input]').fill('已组织专班推进，本周内完成并书面报告。')
  await page.locator('[data-test=response-send]').click()
  await page.locator('.el-message--success', { hasText: '已答复' }).waitFor()
  const answered = (await api('query($id: ID!) { node(id: $id) { ... on SupervisionAction { open response responderName } } }', { id: pressed }, duchaToken)).node
  check('shuili: the answer is recorded on the action', answered.open === false && answered.response === '已组织专班推进，本周内完成并书面报告。', JSON.stringify(answered))
  await page.locator('[data-test=addressed] .el-table__row', { hasText: '已组织专班推进' }).waitFor()
  await shot(page, 'shuili-supervision-answered')

  // 签收 of a measure assigned to the department and not yet signed for, on the measure's page.
  const owed = (await api('query($u: ID!) { measures(filter: { unitId: $u, includeSubunits: true }, first: 100) { nodes { id receipts { id viewerCanAcknowledge } } } }', { u: water }, token))
    .measures.nodes.find((m) => m.receipts.some((r) => r.viewerCanAcknowledge))
  check('shuili: the demo has a measure the department has not signed for', owed !== undefined)
  if (owed) {
    const receiptId = owed.receipts.find((r) => r.viewerCanAcknowledge).id
    await open(page, t, `/measures/${owed.id}`, '[data-test=receipt-acknowledge]')
    await shot(page, 'shuili-measure-receipts')
    await page.locator('[data-test=receipt-acknowledge]').first().click()
    await page.locator('.el-message--success', { hasText: '已签收' }).waitFor()
    const signed = (await api('query($id: ID!) { node(id: $id) { ... on Measure { receipts { id acknowledgedAt acknowledgerName } } } }', { id: owed.id }, token)).node.receipts.find((r) => r.id === receiptId)
    check('shuili: 签收 on the measure page is recorded for the unit', signed.acknowledgedAt !== null && signed.acknowledgerName.length > 0, JSON.stringify(signed))
    await page.locator('[data-test=receipt-signed]').first().waitFor()
  }

  // 提醒: the page and the header's badge follow the API's inbox; one item, then all, marked read.
  const inbox = (await api('{ inbox(first: 200) { totalCount unreadCount items { key read } } }', {}, token)).inbox
  await open(page, t, '/inbox', '[data-test=inbox-table]')
  await page.waitForFunction((n) => document.querySelector('[data-test=inbox-total]')?.textContent?.trim() === String(n), inbox.totalCount, { timeout: 10_000 }).catch(() => undefined)
  check(`shuili: 提醒 shows the ${inbox.unreadCount} unread of the ${inbox.totalCount} reminders the API gives`, inbox.totalCount > 0 && inbox.unreadCount > 1
    && (await page.locator('[data-test=inbox-unread]').innerText()).trim() === String(inbox.unreadCount)
    && (await page.locator('[data-test=inbox-total]').innerText()).trim() === String(inbox.totalCount))
  check('shuili: every reminder is listed, each with its kind in Chinese', (await count(page.locator('[data-test=inbox-table] .el-table__body .el-table__row'))) === inbox.items.length
    && (await page.locator('[data-test=inbox-kind]').allInnerTexts()).every((k) => /[\u4e00-\u9fa5]/.test(k)))
  check('shuili: the header shows the unread count', (await page.locator('[data-test=inbox-badge]').innerText()).trim() === (inbox.unreadCount > 99 ? '99+' : String(inbox.unreadCount)))
  await shot(page, 'shuili-inbox')
  await page.locator('[data-test=mark-read]').first().click()
  await page.locator('.el-message--success', { hasText: '已标为已读' }).waitFor()
  const afterOne = (await api('{ inbox { unreadCount } }', {}, token)).inbox.unreadCount
  check('shuili: 标为已读 marks one reminder read', afterOne === inbox.unreadCount - 1, String(afterOne))
  await page.waitForFunction((n) => document.querySelector('[data-test=inbox-unread]')?.textContent?.trim() === String(n), afterOne)
  await page.locator('[data-test=mark-all]').click()
  await page.locator('.el-message--success', { hasText: '已全部标为已读' }).waitFor()
  const afterAll = (await api('{ inbox { unreadCount } }', {}, token)).inbox.unreadCount
  await page.locator('[data-test=inbox-badge]').waitFor({ state: 'detached' })
  check('shuili: 全部标为已读 leaves nothing unread, and the badge goes', afterAll === 0, String(afterAll))
  await shot(page, 'shuili-inbox-read')

  // 通报: readable, not generated by a liaison.
  await open(page, t, '/bulletins', '[data-test=bulletin-link]')
  check('shuili: 通报 is listed but not offered for generation', (await count(page.locator('[data-test=generate-bulletin]'))) === 0)

  // 报送: the department's missed reports, as missingReports gives them to its liaison.
  check('shuili: the menu offers 报送', labels.includes('报送'), JSON.stringify(labels))
  await open(page, t, '/reports-due', '[data-test=missing-figures]')
  await reportsDueMatch(t, page, token, 'shuili')
  check('shuili: a liaison is not offered 设置报送频次', (await count(page.locator('[data-test=set-rhythm]'))) === 0)
  await shot(page, 'shuili-reports-due')
}

export async function duchaPages(t, page, token) {
  const { api, check, shot } = t
  await open(page, t, '/supervision', '[data-test=supervision-figures]')
  await page.locator('[data-test=addressed] .el-table__row').first().waitFor()
  const counts = (await api('{ supervisionCounts { total open } }', {}, token)).supervisionCounts
  const total = counts.reduce((n, c) => n + c.total, 0)
  const openCount = counts.reduce((n, c) => n + c.open, 0)
  check(`ducha: 督办's figures are supervisionCounts' (${total} issued, ${openCount} open)`,
    (await page.locator('[data-test=count-total]').innerText()).trim() === String(total) && (await page.locator('[data-test=count-open]').innerText()).trim() === String(openCount))
  await page.getByRole('tab', { name: /我发出的/ }).click()
  await page.getByRole('radio', { name: '全部' }).click({ force: true }).catch(() => page.locator('.el-radio-button', { hasText: '全部' }).click())
  const me = (await api('{ me { displayName } supervisionActions(first: 100) { nodes { issuerName } } }', {}, token))
  const mine = me.supervisionActions.nodes.filter((a) => a.issuerName === me.me.displayName).length
  await page.waitForFunction((n) => document.querySelectorAll('[data-test=issued] .el-table__body .el-table__row').length === n, mine)
  check(`ducha: 我发出的 lists the ${mine} actions the 督查组 issued`, true)
  await shot(page, 'ducha-supervision-issued')

  // 催办 an action still waiting for its 签收: a note and a time are required; the action's answer date stays.
  const waiting = page.locator('[data-test=issued] .el-table__row', { has: page.locator('[data-test=unsigned-tag]') }).first()
  const target = (await waiting.locator('.pre').first().innerText()).trim()
  const later = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10)
  const dueBefore = (await api('{ supervisionActions(first: 100) { nodes { content responseDue } } }', {}, token)).supervisionActions.nodes.find((a) => a.content === target)?.responseDue
  await waiting.locator('[data-test=urge]').click()
  await page.locator('[data-test=urge-send]').click()
  await page.locator('.el-dialog .el-form-item__error').first().waitFor()
  check('ducha: 催办 without a note or a date is refused at the form', (await page.locator('.el-dialog .el-form-item__error').count()) > 0)
  await page.locator('[data-test=urge-note]').fill('请于3个工作日内签收并书面报告')
  await page.locator('.el-dialog input[placeholder=选择日期]').fill(later)
  await page.keyboard.press('Enter')
  await page.locator('[data-test=urge-note]').fill('请于3个工作日内签收并书面报告')
  await page.locator('[data-test=urge-send]').click()
  await page.locator('.el-message--success', { hasText: '已催办' }).waitFor()
  const urged = (await api('{ supervisionActions(first: 100) { nodes { content responseDue urgings { note respondBy } } } }', {}, token)).supervisionActions.nodes
    .find((a) => a.content === target)
  check('ducha: the 催办 is recorded with its time, and the answer date is left as it was', urged && urged.urgings.some((u) => u.note === '请于3个工作日内签收并书面报告' && u.respondBy === later) && urged.responseDue === dueBefore, JSON.stringify(urged))
  await page.locator('[data-test=issued] [data-test=urging]', { hasText: '请于3个工作日内签收并书面报告' }).first().waitFor()
  await shot(page, 'ducha-supervision-urged')

  // 通报: generate the last half month's again (第2期), open its printable page.
  await open(page, t, '/bulletins', '[data-test=bulletin-link]')
  const before = await count(page.locator('[data-test=bulletin-link]'))
  await page.locator('[data-test=generate-bulletin]').click()
  await page.locator('[data-test=generate-save]').click()
  await page.waitForFunction((n) => document.querySelectorAll('[data-test=bulletin-link]').length === n + 1, before)
  const list = (await api('{ bulletins { id issueNumber } }', {}, token)).bulletins
  check(`ducha: a bulletin generated in the console is listed (第${list[0].issueNumber}期)`, list.length === before + 1)
  await shot(page, 'ducha-bulletins')
  await page.locator('[data-test=bulletin-link]').first().click()
  await page.waitForURL(/\/bulletin\//)
  await page.locator('[data-test=bulletin-sheet]').waitFor()
  const sections = (await page.locator('[data-test=bulletin-section]').allInnerTexts()).map((s) => s.trim())
  check('ducha: the printable bulletin shows its seven sections, 问责情况 the sixth', sections.length === 7 && sections[0].startsWith('一') && sections[5].startsWith('六、问责情况') && sections[6].startsWith('七'), JSON.stringify(sections))
  await page.emulateMedia({ media: 'print' })
  check('ducha: printing leaves out the buttons', !(await page.locator('.bar').isVisible()))
  await shot(page, 'ducha-bulletin-print')
  await page.emulateMedia({ media: 'screen' })

  // 管理 for a whole-tree supervisor: the campaigns only.
  await open(page, t, '/admin', '[data-test=campaign-table]')
  check('ducha: 管理 offers a supervisor the campaigns only', (await count(page.locator('[data-test=unit-tree]'))) === 0)

  await duchaReportsDue(t, page, token)
}

/**
 * ducha's 报送: the figures now and as of a past day; a report still missing filed late from its
 * measure's page, naming the period it was owed for; then 设置报送频次 to 周报 on Fridays (after
 * a conflict the dialog names) and back to 半月报. Changing the rhythm starts it again from today
 * (`since`): the reports missed before no longer count now, so this runs after the bulletin
 * above, and nothing later counts missed reports.
 */
async function duchaReportsDue(t, page, token) {
  const { api, check, shot } = t
  await open(page, t, '/reports-due', '[data-test=missing-figures]')
  const due = await reportsDueMatch(t, page, token, 'ducha')
  await shot(page, 'ducha-reports-due')
  // 签收情况 below: the late acknowledgements the API lists for the 督查组.
  const campaign = (await api('{ campaigns(first: 1) { nodes { id } } }', {}, token)).campaigns.nodes[0].id
  const late = (await api('query($c: ID!) { lateAcknowledgements(campaignId: $c) { totalCount stillUnacknowledged byUnit { late } } }', { c: campaign }, token)).lateAcknowledgements
  await page.locator('[data-test=late-total]').waitFor()
  check(`ducha: 签收情况 shows the ${late.totalCount} late acknowledgements (${late.stillUnacknowledged} still unsigned) the API lists`, late.totalCount > 0
    && (await page.locator('[data-test=late-total]').innerText()).trim() === String(late.totalCount)
    && (await page.locator('[data-test=late-still]').innerText()).trim() === String(late.stillUnacknowledged)
    && (await count(page.locator('[data-test=late-by-unit-count]'))) === late.byUnit.length)
  await page.locator('[data-test=late-acknowledgements]').scrollIntoViewIfNeeded()
  await shot(page, 'ducha-late-acknowledgements')
  const past = cstDay(10)
  const picker = page.locator('[data-test=reports-on] input')
  await picker.click()
  await picker.fill(past)
  await picker.press('Enter')
  await reportsDueMatch(t, page, token, 'ducha', past)
  await page.keyboard.press('Escape')

  // 补报: a report still missing, filed from the measure's page for the period it was owed for.
  const owed = due.items.find((i) => !i.filedOn && i.measure)
  check(`ducha: 报送 lists reports still missing (${due.stillMissing})`, !!owed && due.stillMissing > 0)
  if (owed) {
    await open(page, t, '/reports-due', '[data-test=missing-figures]')
    await settled(page, '[data-test=missing-items]')
    const row = page.locator('[data-test=missing-items] .el-table__body tr.el-table__row', { has: page.locator('[data-test=missing-tag]') }).filter({ hasText: owed.measure.title }).first()
    const period = (await row.locator('[data-test=missing-period]').innerText()).trim()
    check(`ducha: a missing report shows its period (${period})`, period === `${owed.periodFrom} 至 ${owed.dueOn}`)
    await row.locator('[data-test=missing-measure]').click()
    await page.waitForURL(/\/measures\//)
    await page.locator('[data-test=action-REPORT_PROGRESS]').click()
    await page.locator('[data-test=action-dialog]').waitFor({ state: 'visible' })
    await page.locator('[data-test=hint-period]').waitFor()
    const hint = (await page.locator('[data-test=hint-period]').innerText()).trim()
    check(`ducha: the progress form offers 报送期间 under the campaign's rhythm (${hint})`, hint.includes('半月报'))
    await page.locator('[data-test=field-text] textarea').fill('浏览器测试：补报上期整改进展')
    const input = page.locator('[data-test=field-period] input')
    await input.click()
    await input.fill(owed.periodFrom)
    await input.press('Enter')
    await page.locator('[data-test=field-text] textarea').click()
    await shot(page, 'ducha-late-report-form', { fullPage: false })
    await page.locator('[data-test=action-confirm]').click()
    await page.locator('[data-test=action-dialog]').waitFor({ state: 'hidden' })
    await page.locator('[data-test=reports] [data-test=report-period]', { hasText: owed.periodFrom }).first().waitFor()
    const after = (await api(MISSING, { c: due.campaign, on: null, limit: 100 }, token)).missingReports
    const item = after.items.find((i) => i.measure?.id === owed.measure.id && i.periodFrom === owed.periodFrom)
    check('ducha: the late report counts for its period: filed today, still missed, one fewer still missing',
      item?.filedOn === cstDay() && after.totalCount === due.totalCount && after.stillMissing === due.stillMissing - 1, JSON.stringify({ item, total: after.totalCount, still: after.stillMissing }))
    await shot(page, 'ducha-late-report')
    await open(page, t, '/reports-due', '[data-test=missing-figures]')
    await reportsDueMatch(t, page, token, 'ducha')
  }

  // 设置报送频次: the dialog starts from the campaign's setting and checks its lines first.
  const rhythmOf = async () => (await api(RHYTHM_OF, { id: due.campaign }, token)).node
  const before = await rhythmOf()
  await page.locator('[data-test=set-rhythm]').click()
  await page.locator('[data-test=rhythm-form]').waitFor()
  check('ducha: 设置报送频次 starts from the campaign\'s 半月报', (await page.locator('[data-test=rhythm-default-kind]').innerText()).includes('半月报'))
  await page.locator('[data-test=rhythm-add-unit]').click()
  await page.locator('[data-test=rhythm-save]').click()
  const lineError = page.locator('[data-test=rhythm-unit-row] .el-form-item__error')
  await lineError.waitFor()
  check('ducha: a unit line without its unit is refused at that line', (await lineError.innerText()).trim() === '请选择单位')
  await shot(page, 'ducha-rhythm-line-error', { fullPage: false })
  await page.locator('[data-test=rhythm-unit-remove]').click()
  await choose(page, page.locator('[data-test=rhythm-default-kind]'), '周报')
  const weekday = page.locator('[data-test=rhythm-default-weekday]')
  await weekday.waitFor()
  check('ducha: 周报 asks for its weekday, Friday first', (await weekday.innerText()).includes('周五') && (await page.locator('[data-test=rhythm-default-words]').innerText()).trim() === '周报：每周五报送')
  // Someone changes the campaign meanwhile: the save is refused, and the dialog offers to read it again.
  await api(SET_RHYTHM, { i: { campaignId: due.campaign, expectedVersion: before.version, default: { kind: 'HALF_MONTHLY' } } }, token)
  await page.locator('[data-test=rhythm-save]').click()
  await page.locator('[data-test=rhythm-reread]').waitFor()
  check('ducha: a campaign changed meanwhile is refused (CONFLICT) at the top of the dialog, with 读取最新设置', (await page.locator('[data-test=rhythm-error]').innerText()).includes('已被他人修改'))
  await shot(page, 'ducha-rhythm-conflict', { fullPage: false })
  await page.locator('[data-test=rhythm-reread]').click()
  await page.locator('[data-test=rhythm-error]').waitFor({ state: 'detached' })
  await choose(page, page.locator('[data-test=rhythm-default-kind]'), '周报')
  await page.locator('[data-test=rhythm-default-weekday]').waitFor()
  await shot(page, 'ducha-rhythm-dialog', { fullPage: false })
  await page.locator('[data-test=rhythm-save]').click()
  await page.locator('[data-test=rhythm-dialog]').waitFor({ state: 'hidden' })
  const weekly = await rhythmOf()
  check('ducha: the dialog set 周报 on Fridays: the API reports the new rhythm, from today',
    weekly.reportRhythm.default.kind === 'WEEKLY' && weekly.reportRhythm.default.weekday === 5 && weekly.reportRhythm.since === cstDay() && weekly.version === before.version + 2,
    JSON.stringify(weekly))
  await page.waitForFunction(() => document.querySelector('[data-test=rhythm-words]')?.textContent?.trim() === '周报：每周五报送')
  await reportsDueMatch(t, page, token, 'ducha')
  await shot(page, 'ducha-reports-due-weekly')

  // Back to 半月报, the demo's (the bulletins' cadence).
  await page.locator('[data-test=set-rhythm]').click()
  await page.locator('[data-test=rhythm-form]').waitFor()
  await choose(page, page.locator('[data-test=rhythm-default-kind]'), '半月报')
  await page.locator('[data-test=rhythm-save]').click()
  await page.locator('[data-test=rhythm-dialog]').waitFor({ state: 'hidden' })
  await page.waitForFunction(() => document.querySelector('[data-test=rhythm-words]')?.textContent?.trim() === '半月报：每月15日和月末报送')
  const back = (await rhythmOf()).reportRhythm
  check('ducha: the rhythm is set back to 半月报 for what follows', back.default.kind === 'HALF_MONTHLY' && back.default.weekday === null && back.units.length === 0, JSON.stringify(back))
}

export async function jiweiPages(t, page) {
  const labels = await menu(page)
  t.check('jiwei: the 纪委 (DISCIPLINE, which reads as a VIEWER, of the whole tree) gets 审计 but not 管理', labels.includes('审计') && !labels.includes('管理'), JSON.stringify(labels))
}

export async function anonymousPages(t, page) {
  const { api, check, shot } = t
  await open(page, t, '/public', '[data-test=public-problem]')
  await page.waitForFunction(() => Number(document.querySelector('[data-test=public-commitments]')?.textContent) > 0)
  const seen = await api('{ problems { totalCount } measures { totalCount } commitments { totalCount } }')
  check(`anonymous: /public counts the ${seen.problems.totalCount} disclosed problems`, (await page.locator('[data-test=public-problems]').innerText()).trim() === String(seen.problems.totalCount))
  check(`anonymous: /public counts the ${seen.measures.totalCount} disclosed measures and ${seen.commitments.totalCount} commitments`,
    (await page.locator('[data-test=public-measures]').innerText()).trim() === String(seen.measures.totalCount) && (await page.locator('[data-test=public-commitments]').innerText()).trim() === String(seen.commitments.totalCount))
  const statuses = await page.locator('[data-test=public-status]').allInnerTexts()
  check('anonymous: /public names statuses in Chinese', statuses.length > 0 && statuses.every((s) => ['待启动', '整改中', '待验收', '已销号', '长期坚持', '已撤销'].includes(s.trim())))
  await shot(page, 'public')

  const head = (await api('{ auditHead { seq hash } }')).auditHead
  await open(page, t, '/verify', '[data-test=verify-form]')
  await page.locator('input[name=seq]').fill(String(head.seq))
  await page.locator('input[name=hash]').fill(head.hash)
  await page.locator('[data-test=verify-check]').click()
  await page.locator('[data-test=verify-outcome]').waitFor()
  check(`anonymous: /verify confirms the checkpoint of auditHead (seq ${head.seq})`, (await page.locator('[data-test=verify-outcome]').innerText()).includes('核验通过'))
  await shot(page, 'verify')
  await page.locator('input[name=hash]').fill(head.hash.replace(/^./, (c) => (c === '0' ? '1' : '0')))
  await page.locator('[data-test=verify-check]').click()
  await page.locator('[data-test=verify-outcome]', { hasText: '未通过' }).waitFor()
  check('anonymous: /verify refuses an altered hash', true)
  await shot(page, 'verify-refused')
}
