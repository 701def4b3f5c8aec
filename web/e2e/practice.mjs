// The pages of the practice's three parts (issue 13): 问责 (/accountability), 考核 (/scoring)
// and 督查 (/inspections), and the dashboard's ranking with the 考核加减分. Each account in its
// own context, against what the API gives it. `t` carries the runner's helpers: { origin, api,
// check, shot, WAIT }.

async function open(page, t, path, ready) {
  await page.goto(`${t.origin}${path}`)
  await page.locator(ready).first().waitFor({ timeout: t.WAIT })
}

/** Waits until the table's loading mask is gone. */
async function settled(page, table) {
  // A page just opened may not have sent its request yet: give the loading mask a moment to
  // appear before waiting for it to go (else an empty table passes for a loaded one).
  await page.waitForFunction((sel) => document.querySelector(sel)?.querySelector('.el-loading-mask'), table, { timeout: 1500 }).catch(() => {})
  await page.waitForFunction((sel) => {
    const el = document.querySelector(sel)
    return el && !el.querySelector('.el-loading-mask')
  }, table)
}

/** Waits until `table` shows `n` rows (the count the API gave), or gives up after 30 s. */
async function showsRows(page, table, n) {
  await page.waitForFunction(([sel, count]) => document.querySelectorAll(`${sel} .el-table__body tr.el-table__row`).length === count, [table, n], { timeout: 30_000 }).catch(() => {})
}

/** Picks the option showing `text` of an Element Plus select, typing `typed` first (a search). */
async function choose(page, select, text, typed) {
  await select.click()
  if (typed) await page.keyboard.type(typed)
  const item = page.locator('.el-select-dropdown__item:visible', { hasText: text }).first()
  await item.waitFor()
  await item.click()
}

/** An input or textarea by its data-test (Element Plus puts it on the inner element, or on a wrapper). */
const field = (page, name, tag) => page.locator(`${tag}[data-test=${name}], [data-test=${name}] ${tag}`).first()

const rowsOf = (page, table) => page.locator(`${table} .el-table__body tr.el-table__row`)
const rowWith = (page, table, text) => rowsOf(page, table).filter({ hasText: text }).first()

/** jiwei (纪委, DISCIPLINE on the whole county): the demo's two cases, a 约谈 recorded and revoked. */
export async function accountabilityScenario(t, page, token) {
  const { api, check, shot } = t
  const table = '[data-test=accountability-table]'
  await open(page, t, '/accountability', `${table} .el-table__row`)
  await settled(page, table)
  const listed = (await api('{ accountabilities { totalCount nodes { kind subjectUnit { name } subjectPerson { name } } } }', {}, token)).accountabilities
  const subjects = (await page.locator('[data-test=accountability-subject]').allInnerTexts()).map((s) => s.trim())
  const kinds = (await page.locator('[data-test=accountability-kind]').allInnerTexts()).map((s) => s.trim())
  check(`jiwei: 问责 lists the demo's ${listed.totalCount} cases (an 诫勉谈话 of a person, a 通报批评 of a unit)`,
    listed.totalCount === 2 && subjects.length === 2 && kinds.includes('诫勉谈话') && kinds.includes('通报批评')
      && subjects.includes(listed.nodes.find((n) => n.subjectPerson)?.subjectPerson.name) && subjects.includes(listed.nodes.find((n) => !n.subjectPerson)?.subjectUnit.name),
    JSON.stringify({ subjects, kinds }))
  await shot(page, 'jiwei-accountability')

  // 记录问责: a 约谈 of the water department, on one of its measures.
  const water = (await api('{ units(first: 100) { nodes { id name } } }', {}, token)).units.nodes.find((u) => u.name === '县水利局')
  const measure = (await api('query($u: ID!) { measures(filter: { unitId: $u, unitRole: LEAD, includeSubunits: true }, first: 1) { nodes { id title } } }', { u: water.id }, token)).measures.nodes[0]
  const number = `青纪发〔2026〕${90 + (Date.now() % 9)}号`
  await page.locator('[data-test=record-accountability]').click()
  await page.locator('[data-test=accountability-form]').waitFor()
  await choose(page, page.locator('[data-test=accountability-unit]'), '县水利局', '水利局')
  await choose(page, page.locator('[data-test=accountability-measure]'), measure.title, measure.title.slice(0, 6))
  await field(page, 'accountability-facts', 'textarea').fill('整改进展多次迟报，经督办仍未按期报送，对该局主要负责人进行约谈。')
  await field(page, 'accountability-number', 'input').fill(number)
  await shot(page, 'jiwei-accountability-form', { fullPage: false })
  await page.locator('[data-test=accountability-save]').click()
  const mine = rowWith(page, table, number)
  await mine.waitFor()
  const text = await mine.innerText()
  check('jiwei: a 约谈 of 县水利局 on a measure is recorded and listed 在效', text.includes('约谈') && text.includes('县水利局') && text.includes('在效') && text.includes(measure.title), text)

  // 撤销 with a reason.
  await mine.locator('[data-test=revoke-accountability]').click()
  await field(page, 'reason-input', 'textarea').fill('经复核，该局已于约谈前按要求补报整改进展，撤销本次约谈决定。')
  await page.locator('[data-test=reason-confirm]').click()
  await page.waitForFunction(([sel, n]) => [...document.querySelectorAll(`${sel} .el-table__row`)].some((r) => r.textContent.includes(n) && r.textContent.includes('已撤销')), [table, number])
  const after = (await api('{ accountabilities(filter: { inForce: false }) { nodes { documentNumber revokeReason } } }', {}, token)).accountabilities.nodes
  check('jiwei: the 约谈 is revoked with its reason and shows 已撤销', after.some((a) => a.documentNumber === number && a.revokeReason.startsWith('经复核')))
  await shot(page, 'jiwei-accountability-revoked')
  // The pages after this one look for their own success message: let these go.
  await page.waitForFunction(() => !document.querySelector('.el-message'))
}

/** shuili (EDITOR of the water department) reads 问责 but gets no form. */
export async function shuiliAccountability(t, page, token) {
  const { api, check, shot } = t
  await open(page, t, '/accountability', '[data-test=accountability-table]')
  await settled(page, '[data-test=accountability-table]')
  const seen = (await api('{ accountabilities { totalCount } }', {}, token)).accountabilities.totalCount
  await showsRows(page, '[data-test=accountability-table]', seen)
  check(`shuili: 问责 shows the ${seen} record(s) the API gives a liaison, without 记录问责 or 撤销`,
    (await rowsOf(page, '[data-test=accountability-table]').count()) === seen
      && (await page.locator('[data-test=record-accountability]').count()) === 0 && (await page.locator('[data-test=revoke-accountability]').count()) === 0)
  await shot(page, 'shuili-accountability')
}

/** ducha's 考核: the approved 减分 and its −20.00, a 加分 proposed; admin approves the pending one. */
export async function scoringScenario(t, { ducha, admin }, tokens) {
  const { api, check, shot } = t
  const table = '[data-test=adjustment-table]'
  await open(ducha, t, '/scoring', `${table} .el-table__row`)
  await ducha.locator('[data-test=scoring-ranking] .el-table__row').first().waitFor()
  await settled(ducha, table)
  const items = (await api('{ scoreAdjustments { nodes { kind status item unit { name } } } }', {}, tokens.ducha)).scoreAdjustments.nodes
  const deduction = items.find((i) => i.kind === 'DEDUCTION' && i.status === 'APPROVED')
  const pending = items.find((i) => i.status === 'PROPOSED')
  const dRow = await rowWith(ducha, table, deduction.item).innerText()
  check('ducha: 考核 lists the 20-point 减分 as 已审定 with its 审定人', dRow.includes('已审定') && dRow.includes('−20.00') && dRow.includes('审定人'), dRow)
  const ranked = await rowWith(ducha, '[data-test=scoring-ranking]', deduction.unit.name).innerText()
  check(`ducha: the ranking shows 考核加减分 −20.00 for ${deduction.unit.name}`, ranked.includes('−20.00'), ranked)
  await shot(ducha, 'ducha-scoring')

  // 提出加减分: a 加分 for the water department.
  const item = `防汛隐患整改提前完成-${Date.now() % 100000}`
  await ducha.locator('[data-test=propose-adjustment]').click()
  await ducha.locator('[data-test=adjustment-form]').waitFor()
  await choose(ducha, ducha.locator('[data-test=adjustment-unit-input]'), '县水利局', '水利局')
  await field(ducha, 'adjustment-points-input', 'input').fill('3')
  await field(ducha, 'adjustment-item-input', 'input').fill(item)
  await field(ducha, 'adjustment-basis-input', 'textarea').fill('《整改落实工作考核办法》第十五条：整改提前完成并经验收的，加3分')
  await field(ducha, 'adjustment-evidence-input', 'textarea').fill('验收意见书；县防汛办情况说明')
  await ducha.locator('[data-test=adjustment-save]').click()
  const proposed = rowWith(ducha, table, item)
  await proposed.waitFor()
  const pRow = await proposed.innerText()
  check('ducha: a 3-point 加分 for 县水利局 is proposed and listed 待审定', pRow.includes('待审定') && pRow.includes('+3.00') && pRow.includes('县水利局'), pRow)
  // Its own proposal: the buttons show (whole-tree supervisor), the server refuses, the page says so.
  await proposed.locator('[data-test=approve-adjustment]').click()
  await ducha.locator('[data-test=decide-confirm]').click()
  await ducha.locator('[data-test=decide-error]').waitFor()
  check('ducha: approving its own proposal shows the server\'s refusal', (await ducha.locator('[data-test=decide-error]').innerText()).trim().length > 0)
  await ducha.keyboard.press('Escape')

  // admin approves the demo's pending 加分; the ranking counts it.
  await open(admin, t, '/scoring', `${table} .el-table__row`)
  await settled(admin, table)
  const before = (await api('query($c: ID!) { unitRanking(campaignId: $c) { rows { unit { name } adjustment } } }', { c: (await api('{ campaigns { nodes { id } } }', {}, tokens.admin)).campaigns.nodes[0].id }, tokens.admin)).unitRanking.rows
    .find((r) => r.unit?.name === pending.unit.name).adjustment
  await rowWith(admin, table, pending.item).locator('[data-test=approve-adjustment]').click()
  await admin.locator('[data-test=decide-confirm]').click()
  await admin.waitForFunction(([sel, text]) => [...document.querySelectorAll(`${sel} .el-table__row`)].some((r) => r.textContent.includes(text) && r.textContent.includes('已审定')), [table, pending.item])
  const expected = before + 2
  const shown = `${expected < 0 ? '−' : '+'}${Math.abs(expected).toFixed(2)}`
  await admin.waitForFunction(([unit, s]) => [...document.querySelectorAll('[data-test=scoring-ranking] .el-table__row')].some((r) => r.textContent.includes(unit) && r.textContent.includes(s)), [pending.unit.name, shown])
  check(`admin: the pending 2-point 加分 is approved and the ranking shows ${shown} for ${pending.unit.name}`, true)
  await shot(admin, 'admin-scoring')

  // The dashboard names the adjusted units under its ranking chart.
  await open(admin, t, '/dashboard', '[data-test=ranking-adjustments]')
  const notes = await admin.locator('[data-test=ranking-adjustments]').innerText()
  check('admin: the dashboard\'s ranking names the 考核加减分 (−20.00 and the approved 加分)', notes.includes(`${deduction.unit.name}`) && notes.includes('−20.00') && notes.includes(pending.unit.name) && notes.includes(shown), notes)
  await shot(admin, 'admin-dashboard-adjusted')
}

/** ducha's 督查: the 暗访 with its two findings, and a third filed. */
export async function inspectionScenario(t, page, token) {
  const { api, check, shot } = t
  const table = '[data-test=inspection-table]'
  await open(page, t, '/inspections', `${table} .el-table__row`)
  await settled(page, table)
  const visit = (await api('{ inspections { nodes { id title mode findings { code } } } }', {}, token)).inspections.nodes.find((i) => i.mode === 'UNANNOUNCED')
  const row = rowWith(page, table, visit.title)
  const text = await row.innerText()
  check(`ducha: 督查 lists the 暗访 ${visit.title} with its ${visit.findings.length} findings`, text.includes('暗访') && (await row.locator('[data-test=inspection-findings]').innerText()).trim() === '2', text)
  await row.locator('.el-table__expand-icon').click()
  const detail = page.locator('[data-test=inspection-detail]').first()
  await detail.waitFor()
  const codes = (await detail.locator('[data-test=finding-link]').allInnerTexts()).map((s) => s.trim())
  check('ducha: the 暗访 opens to its plan, team and the findings DC-01 and DC-02 (links)', JSON.stringify(codes) === JSON.stringify(visit.findings.map((f) => f.code)) && codes.includes('DC-01') && codes.includes('DC-02'), JSON.stringify(codes))
  await shot(page, 'ducha-inspections')

  await detail.locator('[data-test=record-finding]').click()
  await page.locator('[data-test=finding-form]').waitFor()
  await field(page, 'finding-code', 'input').fill('DC-03')
  await field(page, 'finding-title', 'input').fill('政务大厅导办台无人值守，群众办事无人引导')
  await field(page, 'finding-category', 'input').fill('机关作风建设')
  await shot(page, 'ducha-finding-form', { fullPage: false })
  await page.locator('[data-test=finding-save]').click()
  await page.waitForFunction((sel) => [...document.querySelectorAll(`${sel} [data-test=finding-link]`)].some((a) => a.textContent.trim() === 'DC-03'), table)
  const filed = (await api('query($id: ID!) { node(id: $id) { ... on Inspection { findings { id code source } } } }', { id: visit.id }, token)).node.findings
  const third = filed.find((f) => f.code === 'DC-03')
  check('ducha: a third finding DC-03 is filed (source UNANNOUNCED_VISIT, fixed by the 暗访) and shown with the others', filed.length === 3 && third?.source === 'UNANNOUNCED_VISIT' && (await row.locator('[data-test=inspection-findings]').innerText()).trim() === '3')
  await shot(page, 'ducha-inspections-finding')
  await page.locator(`${table} [data-test=finding-link]`, { hasText: 'DC-03' }).click()
  await page.waitForURL(/\/problems\//)
  await page.locator('[data-test=problem-heading]').waitFor()
  check('ducha: the finding links to its problem page', (await page.locator('[data-test=problem-heading]').innerText()).startsWith('DC-03'))
}
