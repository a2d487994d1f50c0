// WCAG 2.2.1 Timing Adjustable: warn a signed-in person before the idle timeout signs
// them out, and let them stay signed in with one button. The warning is a <dialog> in the
// page (its text translated by the server); without JavaScript it never shows, and what
// they type in an appeal is saved on the server anyway.
const dialog = document.getElementById('session-timeout-warning')

if (dialog && typeof dialog.showModal === 'function') {
  const idleSeconds = Number(dialog.dataset.idleSeconds)
  const warnSeconds = Number(dialog.dataset.warnSeconds)
  const form = dialog.querySelector('form')
  let timer

  const arm = () => {
    clearTimeout(timer)
    timer = setTimeout(() => {
      dialog.showModal()
      dialog.querySelector('button').focus()
    }, Math.max(idleSeconds - warnSeconds, 1) * 1000)
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    const response = await fetch(form.action, {
      method: 'POST',
      body: new FormData(form),
      headers: { 'HX-Request': 'true' },
      credentials: 'same-origin'
    })
    dialog.close()
    if (response.ok) {
      arm()
    } else {
      window.location.reload() // signed out already: the page shows the sign-in
    }
  })

  document.addEventListener('htmx:afterRequest', arm) // htmx requests count as activity
  arm()
}
