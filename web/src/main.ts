import { createApp } from 'vue'
import App from './App.vue'
import { router } from './router'
import { useElement } from './element'
import { setUnauthenticatedHandler } from './api'
import { forgetLogin } from './store'
import { loadLabels } from './labelCache'
import './style.css'

// The server refused the session (expired, revoked, logged out in another tab): log in again.
// The page is the one in the address bar: during the first navigation the router's current
// route is still the start, and a public page (/public, /verify) stays where it is.
setUnauthenticatedHandler(() => {
  forgetLogin()
  const here = `${window.location.pathname}${window.location.search}`
  const page = router.resolve(here)
  if (!page.meta.public) {
    void router.push({ name: 'login', query: here === '/' || here === '/dashboard' ? {} : { redirect: here } })
  }
})

// The enums' Chinese names from the server's one table (anyone may read it; asked without the
// cookie, so it is the same for every account); the built-in names show until it answers.
void loadLabels()

const app = createApp(App)
useElement(app)
app.use(router)
app.mount('#app')
