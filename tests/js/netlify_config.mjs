// Netlify's own reading of netlify.toml (@netlify/config, what `netlify build` and Netlify's CI run), for
// tests/test_netlify_config.py: prints, for each deploy context, the resolved build settings as JSON.
// Usage: node tests/js/netlify_config.mjs REPOSITORY_ROOT
import { createRequire } from 'node:module'
import { join } from 'node:path'

import { resolveConfig } from '@netlify/config'

// A local plugin as @netlify/build finds it (src/plugins/resolve.js): a package starting with '/' is a path from
// the build folder, resolved as Node resolves a folder (its package.json's main, else index.js); then loaded.
const resolvePlugin = async (name, buildDir) => {
  const local = name.startsWith('/') ? `.${name}` : name
  const path = createRequire(join(buildDir, 'netlify.toml')).resolve(local)
  const events = Object.keys(await import(path)).filter((key) => key.startsWith('on')).sort()
  return { package: name, path, events }
}

const root = process.argv[2]
const contexts = ['production', 'deploy-preview', 'branch-deploy']
const resolved = {}
for (const context of contexts) {
  // offline: no Netlify account or site id, nothing fetched; buffer: its logs kept out of stdout.
  const { config, buildDir, configPath } = await resolveConfig({
    repositoryRoot: root,
    cwd: root,
    context,
    branch: 'main',
    offline: true,
    buffer: true,
  })
  resolved[context] = {
    buildDir,
    configPath,
    command: config.build.command,
    publish: config.build.publish,
    environment: config.build.environment,
    headers: config.headers,
    functionsDirectory: config.functionsDirectory,
    plugins: await Promise.all(config.plugins.map((plugin) => resolvePlugin(plugin.package, buildDir))),
  }
}
console.log(JSON.stringify(resolved, null, 2))
