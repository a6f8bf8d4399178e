// Name-or-reference autocomplete for inputs marked data-module="app-assessor-autocomplete" (the
// team builder's "Why not this assessor?" and "Replace with"). Progressive enhancement: the page's
// plain text input works without JavaScript, and the server reads a name, a reference, or a picked
// suggestion ("Morag Lyle (A00017)") the same way (scheduler/assessors/lookup.py).
import './accessible-autocomplete.min.js'

const accessibleAutocomplete = window.accessibleAutocomplete

function enhance (input) {
  const wrapper = document.createElement('div')
  const typing = document.activeElement === input // someone typed before this script ran
  input.parentNode.insertBefore(wrapper, input)
  const source = input.dataset.source
  // Suggestions arrive asynchronously. A late answer must not reopen the list over the button once
  // the person has picked a suggestion, typed on, or moved away: the next click would land on an
  // option instead of "Check" (issue 11).
  let latest = 0
  const stillWanted = (asked, query) => {
    const box = wrapper.querySelector('input')
    return asked === latest && box !== null && box.value === query && document.activeElement === box
  }
  accessibleAutocomplete({
    element: wrapper,
    id: input.id,
    name: input.name,
    defaultValue: typing ? '' : input.value, // what was typed is searched for below
    minLength: 2,
    showNoOptionsFound: true,
    confirmOnBlur: false,
    inputClasses: input.classList.contains('govuk-input--error') ? 'govuk-input--error' : null,
    tNoResults: () => 'No assessor matches',
    onConfirm: () => { latest++ },
    source: (query, populate) => {
      const asked = ++latest
      fetch(source + '?q=' + encodeURIComponent(query), { headers: { Accept: 'application/json' } })
        .then((response) => (response.ok ? response.json() : []))
        .then((found) => { if (stillWanted(asked, query)) populate(found.map((a) => a.label)) })
        .catch(() => { if (stillWanted(asked, query)) populate([]) })
    }
  })
  // The error message and hint stay announced with the new input.
  const described = input.getAttribute('aria-describedby')
  const replacement = wrapper.querySelector('input')
  if (described && replacement) {
    replacement.setAttribute('aria-describedby', described)
  }
  const form = wrapper.closest('form')
  input.remove()
  // The list sits in the page's flow. Pressing a button would blur the input, close the list and move
  // the button up before the mouse is released, so the click would miss it: keep the focus (and the
  // list) until the click lands.
  if (form) {
    form.querySelectorAll('button[type="submit"], input[type="submit"]').forEach((button) => {
      button.addEventListener('mousedown', (event) => {
        if (wrapper.querySelector('.autocomplete__menu--visible')) event.preventDefault()
      })
    })
  }
  if (typing && replacement) {
    replacement.focus()
    if (input.value) {
      replacement.value = input.value
      replacement.dispatchEvent(new Event('input', { bubbles: true }))
    }
    // After the component's own focus handling, so that typing carries on rather than replacing.
    setTimeout(() => replacement.setSelectionRange(replacement.value.length, replacement.value.length))
  }
}

document.querySelectorAll('[data-module="app-assessor-autocomplete"]').forEach(enhance)
