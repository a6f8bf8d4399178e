// Name-or-reference autocomplete for inputs marked data-module="app-assessor-autocomplete" (the
// team builder's "Why not this assessor?" and "Replace with"). Progressive enhancement: the page's
// plain text input works without JavaScript, and the server reads a name, a reference, or a picked
// suggestion ("Morag Lyle (A00017)") the same way (scheduler/assessors/lookup.py).
import './accessible-autocomplete.min.js'

const accessibleAutocomplete = window.accessibleAutocomplete

function enhance (input) {
  const wrapper = document.createElement('div')
  input.parentNode.insertBefore(wrapper, input)
  const source = input.dataset.source
  let latest = 0
  accessibleAutocomplete({
    element: wrapper,
    id: input.id,
    name: input.name,
    defaultValue: input.value,
    minLength: 2,
    showNoOptionsFound: true,
    confirmOnBlur: false,
    inputClasses: input.classList.contains('govuk-input--error') ? 'govuk-input--error' : null,
    tNoResults: () => 'No assessor matches',
    source: (query, populate) => {
      const asked = ++latest
      fetch(source + '?q=' + encodeURIComponent(query), { headers: { Accept: 'application/json' } })
        .then((response) => (response.ok ? response.json() : []))
        .then((found) => { if (asked === latest) populate(found.map((a) => a.label)) })
        .catch(() => populate([]))
    }
  })
  // The error message and hint stay announced with the new input.
  const described = input.getAttribute('aria-describedby')
  const replacement = wrapper.querySelector('input')
  if (described && replacement) {
    replacement.setAttribute('aria-describedby', described)
  }
  input.remove()
}

document.querySelectorAll('[data-module="app-assessor-autocomplete"]').forEach(enhance)
