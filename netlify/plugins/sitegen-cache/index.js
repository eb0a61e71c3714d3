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
// The publish folder is cached under this name, as a copy made of hard links to its files (see onPostBuild).
const SITE_COPY = '.sitegen-site'

const publishFolder = (constants) => path.resolve(constants.PUBLISH_DIR || 'public')

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

// A copy of the folder `from` at `to` whose files are hard links to the originals: one link per file, no bytes
// copied. sitegen never writes into a file of its output (it writes new files and renames them into place), so
// the originals and the copy never change under each other.
const linkTree = (from, to) => {
  fs.mkdirSync(to, { recursive: true })
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name)
    const target = path.join(to, entry.name)
    if (entry.isDirectory()) linkTree(source, target)
    else if (entry.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(source), target)
    else fs.linkSync(source, target)
  }
}

const seconds = (started) => `${((Date.now() - started) / 1000).toFixed(1)} s`

const log = (message) => console.log(`sitegen-cache: ${message}`)

// Both folders are moved back, not copied: a rename where the cache is on the same disk, where a copy of a site
// of 10,000 posts takes seconds. The cache is without them until onPostBuild saves them again, so a build that
// fails in between leaves the next one cold (never wrong).
const onPreBuild = async ({ constants, utils }) => {
  const site = publishFolder(constants)
  for (const [folder, restored] of [[SITEGEN_CACHE, SITEGEN_CACHE], [SITE_COPY, path.relative('.', site)]]) {
    const started = Date.now()
    try {
      if (!(await utils.cache.restore(folder, { move: true }))) {
        log(`nothing cached for ${restored} yet: sitegen builds it afresh`)
        continue
      }
      if (folder === SITE_COPY) {
        if (fs.existsSync(site)) {  // the repository has one of its own: sitegen replaces it, as it would anyway
          fs.rmSync(SITE_COPY, { recursive: true, force: true })
          log(`${restored} is in the repository: the cached site was not restored`)
          continue
        }
        fs.renameSync(SITE_COPY, site)
      }
      log(`restored ${restored} (${countFiles(restored)} files) from Netlify's build cache in ${seconds(started)}`)
    } catch (error) {
      log(`could not restore ${restored} (${error.message}); sitegen builds it afresh`)
    }
  }
}

// Saved in onPostBuild, which runs only once the build command succeeded (a failed build keeps the last good
// cache), as @netlify/cache-utils' own documentation does; onSuccess would come after the deploy, later than
// needed. sitegen's cache, which nothing needs after the build, is moved into Netlify's cache. The site, which
// Netlify deploys after this step, stays where it is: a copy of it made of hard links is moved into the cache
// instead, which costs one link per file where copying the files took seconds (11 s at 10,000 posts). Where
// links cannot be made, the site is copied.
const onPostBuild = async ({ constants, utils }) => {
  const site = publishFolder(constants)
  const started = Date.now()
  try {
    if (await utils.cache.save(SITEGEN_CACHE, { move: true })) {
      log(`saved ${SITEGEN_CACHE} to Netlify's build cache in ${seconds(started)}`)
    } else {
      log(`${SITEGEN_CACHE} is missing or empty: nothing saved`)
    }
  } catch (error) {
    log(`could not save ${SITEGEN_CACHE} (${error.message}); the next build starts it afresh`)
  }
  await saveSite(site, utils)
}

const saveSite = async (site, utils) => {
  const shown = path.relative('.', site)
  if (!fs.existsSync(site)) {
    log(`${shown} is missing: nothing saved`)
    return
  }
  const started = Date.now()
  const files = countFiles(site)
  try {
    fs.rmSync(SITE_COPY, { recursive: true, force: true })
    try {
      linkTree(site, SITE_COPY)
    } catch (error) {
      fs.rmSync(SITE_COPY, { recursive: true, force: true })
      log(`could not link ${shown}'s files (${error.message}); copying them`)
      fs.cpSync(site, SITE_COPY, { recursive: true })
    }
    if (await utils.cache.save(SITE_COPY, { move: true })) {
      log(`saved ${shown} (${files} files) to Netlify's build cache in ${seconds(started)}`)
    }
  } catch (error) {
    log(`could not save ${shown} (${error.message}); the next build renders every page`)
  } finally {
    fs.rmSync(SITE_COPY, { recursive: true, force: true })
  }
}

module.exports = { onPreBuild, onPostBuild }
