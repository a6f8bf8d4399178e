// Before a signed-in session ends for want of activity, open a dialog that says when, with a button
// that asks the server for more time (WCAG 2.2.1 Timing adjustable). The server says how long is left
// (data-seconds-left), so the page never guesses; if time runs out, the page goes to "signed out".
const root = document.querySelector('[data-module="app-session-timeout"]')
const dialog = root.querySelector('dialog')
const countdown = root.querySelector('[data-countdown]')
const warning = Number(root.dataset.warningSeconds)
let endsAt = 0
let warnTimer = 0
let tickTimer = 0

function words (seconds) {
  if (seconds >= 60) {
    const minutes = Math.ceil(seconds / 60)
    return minutes === 1 ? '1 minute' : `${minutes} minutes`
  }
  // Counting every second would make a screen reader talk over itself: 20-second steps at most.
  const shown = seconds > 20 ? Math.ceil(seconds / 20) * 20 : seconds
  return shown === 1 ? '1 second' : `${shown} seconds`
}

function tick () {
  const left = Math.max(0, Math.round((endsAt - Date.now()) / 1000))
  const text = words(left)
  if (countdown.textContent !== text) countdown.textContent = text
  if (left <= 0) {
    window.location.assign(root.dataset.signedOutUrl)
    return
  }
  tickTimer = window.setTimeout(tick, 1000)
}

function warn () {
  countdown.setAttribute('aria-live', 'polite')
  if (!dialog.open) dialog.showModal()
  dialog.querySelector('[data-keep-alive]').focus()
  tick()
}

function schedule (secondsLeft) {
  window.clearTimeout(warnTimer)
  window.clearTimeout(tickTimer)
  endsAt = Date.now() + secondsLeft * 1000
  warnTimer = window.setTimeout(warn, Math.max(0, secondsLeft - warning) * 1000)
}

async function stay () {
  const body = new FormData()
  body.append('csrf_token', root.dataset.csrfToken)
  try {
    const answer = await fetch(root.dataset.keepAliveUrl, { method: 'POST', body, credentials: 'same-origin', redirect: 'manual' })
    if (!answer.ok) throw new Error(`keep-alive answered ${answer.status}`)
    const { seconds_left: secondsLeft } = await answer.json()
    dialog.close()
    countdown.removeAttribute('aria-live')
    schedule(secondsLeft)
  } catch (error) {
    window.location.assign(root.dataset.signedOutUrl) // the session had ended already
  }
}

root.querySelector('[data-keep-alive]').addEventListener('click', stay)
// Escape closes a modal dialog: treat it as "stay signed in", the choice that loses nothing.
dialog.addEventListener('cancel', (event) => { event.preventDefault(); stay() })
schedule(Number(root.dataset.secondsLeft))
