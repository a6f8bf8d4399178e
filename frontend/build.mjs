// Build front-end assets into scheduler/static/ (committed output).
//
//   css/app.css                  compressed, from frontend/scss/app.scss
//   js/govuk-frontend.min.js     GOV.UK Frontend ES module build (no source map)
//   js/accessible-autocomplete.min.js  alphagov's accessible-autocomplete (UMD: sets window.accessibleAutocomplete)
//   js/*.js                      every file in frontend/js/ (init.js calls initAll(); solve-progress.js
//                                polls a team-builder run; assessor-autocomplete.js), copied as written
//   images/                      favicons etc. (GOV.UK Frontend assets/images)
//   manifest.json                web app manifest (GOV.UK Frontend assets)
//
// GDS Transport fonts (assets/fonts) are deliberately not shipped.
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as sass from 'sass'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const src = join(root, 'frontend')
const out = join(root, 'scheduler', 'static')
const govuk = join(root, 'node_modules', 'govuk-frontend', 'dist', 'govuk')

// Only remove what this script produces: other files in static/ are left alone.
for (const p of ['css', 'js', 'images', 'manifest.json']) {
  rmSync(join(out, p), { recursive: true, force: true })
}
mkdirSync(join(out, 'css'), { recursive: true })
mkdirSync(join(out, 'js'), { recursive: true })

// CSS
const result = sass.compile(join(src, 'scss', 'app.scss'), {
  style: 'compressed',
  sourceMap: false,
  loadPaths: [join(root, 'node_modules')],
  quietDeps: true
})
writeFileSync(join(out, 'css', 'app.css'), result.css + '\n')

// JS: drop the sourceMappingURL comment, since the map is not shipped
const stripMap = (code) => code.replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, '\n')
writeFileSync(
  join(out, 'js', 'govuk-frontend.min.js'),
  stripMap(readFileSync(join(govuk, 'govuk-frontend.min.js'), 'utf8'))
)
writeFileSync(
  join(out, 'js', 'accessible-autocomplete.min.js'),
  stripMap(readFileSync(join(root, 'node_modules', 'accessible-autocomplete', 'dist', 'accessible-autocomplete.min.js'), 'utf8'))
)
// Hand-written modules (init.js, the team builder's solve-progress.js, ...): every file in frontend/js/
for (const name of readdirSync(join(src, 'js'))) {
  cpSync(join(src, 'js', name), join(out, 'js', name))
}

// Images and manifest (favicons referenced by govuk_frontend_jinja template.html
// via {{ assetPath }}/images/... and {{ assetPath }}/manifest.json).
// The Open Graph image is GOV.UK-branded and only used when assetUrl is set: skip it.
cpSync(join(govuk, 'assets', 'images'), join(out, 'images'), {
  recursive: true,
  filter: (p) => !p.endsWith('govuk-opengraph-image.png')
})
cpSync(join(govuk, 'assets', 'manifest.json'), join(out, 'manifest.json'))

console.log('Built front-end assets into scheduler/static/')
