import { createRouter, createWebHistory } from 'vue-router'
import { probablyLoggedIn } from './session'

// Every path here is a console route: the server answers it with index.html
// (src/http/console.rs), so that a reload or a shared link opens the same page. Paths under
// /bulletins/ are the server's (the printable HTML), so a bulletin's console page is /bulletin/:id.
// `public`: no login needed, shown without the shell (menu and header).
export const router = createRouter({
  history: createWebHistory('/'),
  routes: [
    { path: '/', redirect: '/dashboard' },
    { path: '/login', name: 'login', component: () => import('./pages/LoginPage.vue'), meta: { title: '登录', public: true } },
    { path: '/dashboard', name: 'dashboard', component: () => import('./pages/DashboardPage.vue'), meta: { title: '图版' } },
    { path: '/ledger', name: 'ledger', component: () => import('./pages/LedgerPage.vue'), meta: { title: '台账' } },
    { path: '/measures/:id', name: 'measure', component: () => import('./pages/MeasurePage.vue'), meta: { title: '整改措施' } },
    { path: '/problems/:id', name: 'problem', component: () => import('./pages/ProblemPage.vue'), meta: { title: '问题' } },
    { path: '/supervision', name: 'supervision', component: () => import('./pages/SupervisionPage.vue'), meta: { title: '督办' } },
    { path: '/reports-due', name: 'reports-due', component: () => import('./pages/ReportsDuePage.vue'), meta: { title: '报送' } },
    { path: '/intake', name: 'intake', component: () => import('./pages/IntakePage.vue'), meta: { title: '意见·测评·承诺' } },
    { path: '/bulletins', name: 'bulletins', component: () => import('./pages/BulletinsPage.vue'), meta: { title: '通报' } },
    { path: '/bulletin/:id', name: 'bulletin', component: () => import('./pages/BulletinPrintPage.vue'), meta: { title: '通报', public: true } },
    { path: '/accountability', name: 'accountability', component: () => import('./pages/AccountabilityPage.vue'), meta: { title: '问责' } },
    { path: '/scoring', name: 'scoring', component: () => import('./pages/ScoringPage.vue'), meta: { title: '考核' } },
    { path: '/inspections', name: 'inspections', component: () => import('./pages/InspectionsPage.vue'), meta: { title: '督查' } },
    { path: '/audit', name: 'audit', component: () => import('./pages/AuditPage.vue'), meta: { title: '审计' } },
    { path: '/admin', name: 'admin', component: () => import('./pages/AdminPage.vue'), meta: { title: '管理' } },
    { path: '/inbox', name: 'inbox', component: () => import('./pages/InboxPage.vue'), meta: { title: '提醒' } },
    { path: '/me', name: 'me', component: () => import('./pages/MePage.vue'), meta: { title: '我的' } },
    { path: '/verify', name: 'verify', component: () => import('./pages/VerifyPage.vue'), meta: { title: '校验点核验', public: true } },
    { path: '/public', name: 'public', component: () => import('./pages/PublicPage.vue'), meta: { title: '整改公示', public: true } },
    { path: '/:rest(.*)*', name: 'not-found', component: () => import('./pages/NotFoundPage.vue'), meta: { title: '页面不存在', public: true } },
  ],
})

router.beforeEach((to) => {
  if (!to.meta.public && !probablyLoggedIn()) {
    return { name: 'login', query: to.fullPath === '/dashboard' ? {} : { redirect: to.fullPath } }
  }
  return true
})

router.afterEach((to) => {
  document.title = `${String(to.meta.title ?? '')} · 整改台账`
})
