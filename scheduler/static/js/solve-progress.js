// Live progress of a team-builder solve: polls the run's JSON and updates the page; when the solve
// ends, loads the result. Without JavaScript the page's Refresh link does the same.
const box = document.querySelector('[data-solve-progress]')

function cell (text, numeric) {
  const td = document.createElement('td')
  td.className = 'govuk-table__cell' + (numeric ? ' govuk-table__cell--numeric' : '')
  td.textContent = text
  return td
}

function render (data) {
  const status = box.querySelector('[data-field="status"]')
  if (status) {
    status.textContent = data.status_label + (data.cancel_requested ? ' (cancelling)' : '')
  }
  const body = box.querySelector('[data-field="events"]')
  if (body) {
    body.replaceChildren(...data.events.map((e) => {
      const tr = document.createElement('tr')
      tr.className = 'govuk-table__row'
      tr.append(cell(e.label), cell(String(Math.round(e.value)), true),
        cell(String(Math.round(e.bound)), true), cell(String(e.elapsed), true))
      return tr
    }))
  }
}

// Most solves end within a second: ask soon, then less and less often (issue 14: click to result).
const DELAYS = [100, 200, 300, 500, 800, 1500]
let polls = 0
const nextPoll = () => window.setTimeout(poll, DELAYS[Math.min(polls++, DELAYS.length - 1)])

async function poll () {
  try {
    const response = await fetch(box.dataset.solveProgress, {
      headers: { Accept: 'application/json' }, credentials: 'same-origin'
    })
    if (response.ok) {
      const data = await response.json()
      if (data.done) {
        window.location.assign(data.url)
        return
      }
      render(data)
    }
  } catch (error) {
    // a missed poll is retried
  }
  nextPoll()
}

if (box) {
  nextPoll()
}
