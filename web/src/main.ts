import { createApp } from 'vue'
import App from './App.vue'
import { router } from './router'
import { useElement } from './element'
import { setUnauthenticatedHandler } from './api'
import './style.css'

setUnauthenticatedHandler(() => {
  if (router.currentRoute.value.name !== 'login') {
    void router.push({ name: 'login', query: { redirect: router.currentRoute.value.fullPath } })
  }
})

const app = createApp(App)
useElement(app)
app.use(router)
app.mount('#app')
