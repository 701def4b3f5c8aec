import { createApp } from 'vue'
import App from './App.vue'
import { router } from './router'
import { useElement } from './element'
import { setUnauthenticatedHandler } from './api'
import { forgetLogin } from './store'
import { loadLabels } from './labelCache'
import './style.css'

// The server refused the session (expired, revoked, logged out in another tab): log in again.
setUnauthenticatedHandler(() => {
  forgetLogin()
  if (!router.currentRoute.value.meta.public) {
    void router.push({ name: 'login', query: { redirect: router.currentRoute.value.fullPath } })
  }
})

// The enums' Chinese names from the server's one table (anyone may read it; asked without the
// cookie, so it is the same for every account); the built-in names show until it answers.
void loadLabels()

const app = createApp(App)
useElement(app)
app.use(router)
app.mount('#app')
