// A Netlify build plugin that makes sitegen's rebuilds on Netlify as quick as on your own machine.
//
// Netlify starts every build from a fresh clone of the repository, so sitegen's build cache (.sitegen-cache/)
// and the site it built last time (the publish folder, public/) are gone, and every page is rendered again.
// Netlify keeps one folder between builds for plugins, reached through `utils.cache` (@netlify/cache-utils):
// before the build this plugin moves both folders back from it, and after a successful build it saves both
// into it. sitegen checks what it is given: it carries a page over only when the restored site's build mark
// matches the digests in the restored cache and the page's inputs (its post, the templates, sitegen.yaml,
// sitegen's own version) did not change. Anything else is rendered again, so the site is always the one a
// cold build makes.
//
// The plugin never fails a build: a missing or unreadable cache only makes the build cold.
// On Netlify the cache lives outside the repository (Netlify's CI gives its place); with `netlify build` on
// your own machine it is .netlify/cache/ in the repository.

const fs = require('fs')
const path = require('path')

const SITEGEN_CACHE = '.sitegen-cache'

// The folders kept between builds, as paths relative to the build's folder (the plugin runs there).
const folders = (constants) => [SITEGEN_CACHE, constants.PUBLISH_DIR || 'public']

const countFiles = (folder) => {
  let count = 0
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(dir, entry.name))
      else count += 1
    }
  }
  try {
    walk(folder)
  } catch {
    return 0
  }
  return count
}

const seconds = (started) => `${((Date.now() - started) / 1000).toFixed(1)} s`

const log = (message) => console.log(`sitegen-cache: ${message}`)

// The folders are moved back, not copied: a rename where the cache is on the same disk, where a copy of a site of
// 10,000 posts takes seconds. The cache is without them until onPostBuild saves them again, so a build that fails
// in between leaves the next one cold (never wrong).
const onPreBuild = async ({ constants, utils }) => {
  for (const folder of folders(constants)) {
    const started = Date.now()
    try {
      if (await utils.cache.restore(folder, { move: true })) {
        const took = seconds(started)
        log(`restored ${folder} (${countFiles(folder)} files) from Netlify's build cache in ${took}`)
      } else {
        log(`nothing cached for ${folder} yet: sitegen starts it afresh`)
      }
    } catch (error) {
      log(`could not restore ${folder} (${error.message}); sitegen starts it afresh`)
    }
  }
}

// Saved in onPostBuild, which runs only once the build command succeeded (a failed build keeps the last good
// cache), as @netlify/cache-utils' own documentation does; onSuccess would come after the deploy, later than
// needed. The publish folder is copied, since Netlify deploys it after this step; sitegen's cache, which nothing
// needs after the build, is moved.
const onPostBuild = async ({ constants, utils }) => {
  for (const folder of folders(constants)) {
    const files = countFiles(folder)
    const started = Date.now()
    try {
      if (await utils.cache.save(folder, { move: folder === SITEGEN_CACHE })) {
        log(`saved ${folder} (${files} files) to Netlify's build cache in ${seconds(started)}`)
      } else {
        log(`${folder} is missing or empty: nothing saved`)
      }
    } catch (error) {
      log(`could not save ${folder} (${error.message}); the next build starts it afresh`)
    }
  }
}

module.exports = { onPreBuild, onPostBuild }
