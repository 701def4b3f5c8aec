// The measure's actions and live updates in a real browser (issue 11), each account in its own
// browser context (its own session cookie): a liaison (shuili) reports 100 % with an evidence
// upload and submits through the action forms, after the server's refusal shows at the field it
// names; an action the viewer may not take is not offered; the 督查组 (ducha) verifies PASS
// while the ledger of a second context (admin) and the liaison's open page turn 已销号 without a
// reload; admin's form opened on the old version gets the CONFLICT at the form.
// `t` carries the runner's helpers: { origin, api, check, shot, WAIT }.

const MEASURE = `query($id: ID!) { node(id: $id) { ... on Measure { id version title status progressPercent
  evidence { id } allowedActions { action allowed code field } } } }`

async function measureOf(t, id, token) {
  return (await t.api(MEASURE, { id }, token)).node
}

const allowed = (m, action) => m.allowedActions.some((a) => a.action === action && a.allowed)

/** A measure of the water department, IN_PROGRESS below 100 %, that shuili may report on and ducha may later verify; not the one pages.mjs uploads to. */
async function pickMeasure(t, tokens) {
  const { me } = await t.api('{ me { grants { unit { id } } } }', {}, tokens.shuili)
  const water = me.grants[0].unit.id
  const list = (await t.api(
    `query($u: ID!) { measures(filter: { unitId: $u, includeSubunits: true, status: [IN_PROGRESS] }, first: 20) { nodes { id title progressPercent
      allowedActions { action allowed } } } }`, { u: water }, tokens.shuili)).measures.nodes
  return list.slice(1).find((m) => m.progressPercent < 100 && allowed(m, 'REPORT_PROGRESS') && allowed(m, 'UPLOAD_EVIDENCE') && allowed(m, 'UPDATE'))
}

async function openMeasure(t, page, id) {
  await page.goto(`${t.origin}/measures/${id}`)
  await page.locator('[data-test=actions]').waitFor()
}

async function openAction(page, action) {
  await page.locator(`[data-test=action-${action}]`).click()
  await page.locator('[data-test=action-dialog]').waitFor({ state: 'visible' })
}

async function closeDialog(page) {
  await page.locator('[data-test=action-dialog] .el-dialog__headerbtn').click()
  await page.locator('[data-test=action-dialog]').waitFor({ state: 'hidden' })
}

async function status(page) {
  return (await page.locator('[data-test=measure-status]').innerText()).trim()
}

export async function liveScenarios(t, pages, tokens) {
  const { check, shot, WAIT } = t
  const { shuili, ducha, admin, adminLedger, adminDashboard } = pages
  const picked = await pickMeasure(t, tokens)
  check('a measure of the water department is there for the lifecycle in the browser', !!picked)
  if (!picked) return
  const id = picked.id

  // shuili: what a liaison is offered, and what not.
  await openMeasure(t, shuili, id)
  await shuili.locator('[data-test=live]').waitFor()
  check('shuili: the header shows 实时 while the subscription socket is open', true)
  const offered = await shuili.locator('[data-test=actions] [data-test^=action-]').evaluateAll((els) => els.map((e) => e.getAttribute('data-test')))
  const expected = (await measureOf(t, id, tokens.shuili)).allowedActions.filter((a) => a.allowed && a.action !== 'UPLOAD_EVIDENCE').map((a) => `action-${a.action}`)
  check('shuili: the measure offers the actions allowedActions allows, as buttons', expected.every((a) => offered.includes(a)), `${offered} vs ${expected}`)
  check('shuili: no 验收通过 or 验收退回 button for the liaison (not the verifier)', (await shuili.locator('[data-test=action-VERIFY_PASS], [data-test=action-VERIFY_REJECT]').count()) === 0)
  const submit = shuili.locator('[data-test=action-SUBMIT]')
  const gate = await submit.getAttribute('data-reason')
  check(`shuili: 提交验收 is disabled below 100 %, with the gate's reason (${gate})`, (await submit.locator('button').isDisabled()) && /100%/.test(gate ?? ''))
  await submit.hover()
  await shuili.locator('.el-popper', { hasText: '100%' }).first().waitFor({ state: 'visible' })
  await shot(shuili, 'live-actions-shuili')

  // A lower percent without a reason: the server's refusal at the reason field.
  await openAction(shuili, 'REPORT_PROGRESS')
  await shot(shuili, 'live-action-form', { fullPage: false })
  await shuili.locator('[data-test=field-percent] input').fill('10')
  await shuili.locator('[data-test=field-text] textarea').fill('浏览器测试：误报的进度')
  await shuili.locator('[data-test=action-confirm]').click()
  const fieldError = shuili.locator('[data-test=field-reason] .el-form-item__error')
  await fieldError.waitFor()
  const errorText = (await fieldError.innerText()).trim()
  check(`shuili: the server's refusal shows at the field it names (reason: ${errorText})`, errorText.includes('reason'))
  check('shuili: the refusal comes with its request id', /请求编号 [0-9a-f-]{36}/.test(await shuili.locator('[data-test=action-dialog] [data-test=request-id]').innerText()))
  await shot(shuili, 'live-field-error', { fullPage: false })
  await closeDialog(shuili)

  // 100 % through the form, evidence dropped, then 提交验收 through its form.
  await openAction(shuili, 'REPORT_PROGRESS')
  await shuili.locator('[data-test=field-percent] input').fill('100')
  await shuili.locator('[data-test=field-text] textarea').fill('浏览器测试：整改任务全部完成，已形成长效机制')
  await shuili.locator('[data-test=action-confirm]').click()
  await shuili.locator('[data-test=action-dialog]').waitFor({ state: 'hidden' })
  await shuili.locator('[data-test=reports] .el-table__row', { hasText: '浏览器测试：整改任务全部完成' }).waitFor()
  const reported = await measureOf(t, id, tokens.shuili)
  check('shuili: progress 100 % is reported through the action form', reported.progressPercent === 100, `${reported.progressPercent}`)
  const gate2 = await shuili.locator('[data-test=action-SUBMIT]').getAttribute('data-reason')
  check(`shuili: at 100 % without evidence 提交验收 still waits, for the evidence (${gate2})`, /佐证/.test(gate2 ?? ''))
  const evidence = await shuili.evaluateHandle(() => {
    const dt = new DataTransfer()
    dt.items.add(new File(['整改完成情况说明。\n'], '整改完成情况说明.txt', { type: 'text/plain' }))
    return dt
  })
  await shuili.locator('[data-test=evidence-upload] .el-upload-dragger').dispatchEvent('drop', { dataTransfer: evidence })
  await shuili.locator('[data-test=evidence] [data-test=evidence-download]', { hasText: '整改完成情况说明.txt' }).waitFor()
  check('shuili: the evidence file is uploaded from the drop zone', (await measureOf(t, id, tokens.shuili)).evidence.length > 0)
  await shuili.locator('[data-test=action-SUBMIT]:not(.disabled-wrap)').waitFor()
  await openAction(shuili, 'SUBMIT')
  await shuili.locator('[data-test=action-confirm]').click()
  await shuili.locator('[data-test=action-dialog]').waitFor({ state: 'hidden' })
  await shuili.waitForFunction(() => document.querySelector('[data-test=measure-status]')?.textContent?.trim() === '待验收')
  check('shuili: 提交验收 through its form: the measure is 待验收', (await measureOf(t, id, tokens.shuili)).status === 'SUBMITTED')
  check('shuili: after submitting, the liaison is offered no 提交验收 again', (await shuili.locator('[data-test=action-SUBMIT]').count()) === 0)
  await shot(shuili, 'live-submitted')

  // Second context: admin's ledger, searched down to this measure, and admin's own page of it
  // with 修改措施 opened on the version it loaded.
  await adminLedger.goto(`${t.origin}/ledger`)
  await adminLedger.locator('[data-test=measure-link]').first().waitFor()
  await adminLedger.locator('[data-test=measures-pane] [data-test=search]').fill(picked.title)
  await adminLedger.locator('[data-test=measures-pane] [data-test=search]').press('Enter')
  const row = adminLedger.locator('[data-test=ledger-table] .el-table__row', { hasText: picked.title })
  await row.locator('[data-test=status]', { hasText: '待验收' }).waitFor()
  await adminLedger.locator('[data-test=live]').waitFor()
  await openMeasure(t, admin, id)
  await openAction(admin, 'UPDATE')
  await admin.locator('[data-test=field-title] input').fill(`${picked.title}（管理员修改）`)

  // And admin's dashboard, whose 已销号 card should count one more without a reload.
  await adminDashboard.goto(`${t.origin}/dashboard`)
  const closedCard = adminDashboard.locator('[data-test=card-closed] [data-test=figure]')
  await closedCard.waitFor()
  await adminDashboard.locator('[data-test=live]').waitFor()
  const closedBefore = Number((await closedCard.innerText()).trim())

  // ducha verifies PASS in its context.
  await openMeasure(t, ducha, id)
  check('ducha: the 督查组 is offered 验收通过 on the submitted measure', (await ducha.locator('[data-test=action-VERIFY_PASS]').count()) === 1)
  await openAction(ducha, 'VERIFY_PASS')
  await ducha.locator('[data-test=field-comment] textarea').fill('浏览器测试：现场核查，整改到位，同意销号')
  await shot(ducha, 'live-verify-form', { fullPage: false })
  const clicked = Date.now()
  await ducha.locator('[data-test=action-confirm]').click()
  await ducha.waitForFunction(() => document.querySelector('[data-test=measure-status]')?.textContent?.trim() === '已销号')
  check('ducha: 验收通过 closes the measure out (已销号)', (await measureOf(t, id, tokens.ducha)).status === 'CLOSED')
  await shot(ducha, 'live-verified')

  // Without a reload: the other contexts see it.
  await row.locator('[data-test=status]', { hasText: '已销号' }).waitFor({ timeout: WAIT })
  const seenIn = Date.now() - clicked
  check(`admin: the ledger row turns 已销号 in a second context without reload (${seenIn} ms after the click)`, true)
  await shot(adminLedger, 'live-ledger-row-closed')
  await adminDashboard.waitForFunction((n) => Number(document.querySelector('[data-test=card-closed] [data-test=figure]')?.textContent?.trim()) === n, closedBefore + 1, { timeout: WAIT })
  check(`admin: the dashboard's 已销号 card goes from ${closedBefore} to ${closedBefore + 1} without reload`, true)
  await shot(adminDashboard, 'live-dashboard')
  await shuili.waitForFunction(() => document.querySelector('[data-test=measure-status]')?.textContent?.trim() === '已销号', null, { timeout: WAIT })
  check('shuili: the liaison\'s open measure page turns 已销号 without reload', true)
  check('shuili: the page says it was just updated live', (await shuili.locator('[data-test=live-note]').count()) === 1)
  await shot(shuili, 'live-measure-closed')

  // admin's form still holds the old version: the CONFLICT shows at the form, with a reload.
  await admin.waitForFunction(() => document.querySelector('[data-test=measure-status]')?.textContent?.trim() === '已销号', null, { timeout: WAIT })
  await admin.locator('[data-test=action-confirm]').click()
  const conflict = admin.locator('[data-test=action-conflict]')
  await conflict.waitFor()
  check('admin: a stale version\'s CONFLICT is shown at the form', (await conflict.innerText()).includes('已被他人修改'))
  await shot(admin, 'live-conflict', { fullPage: false })
  await admin.locator('[data-test=action-reload]').click()
  await admin.locator('[data-test=action-dialog]').waitFor({ state: 'hidden' })
  const after = await measureOf(t, id, tokens.admin)
  check('admin: nothing was written by the stale form, and the reload shows the measure as it is', after.title === picked.title && (await status(admin)) === '已销号')
}
