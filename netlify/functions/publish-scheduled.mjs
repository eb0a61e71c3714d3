// A Netlify scheduled function, copied into the blog by `sitegen init`: once an hour it reads
// /sitegen-schedule.json from the live site (written by `sitegen build` while posts dated in the future wait) and,
// only when one of those posts has come due since that deploy was built, calls the build hook, so Netlify builds
// and publishes it. No post due, no schedule, no hook: it logs why and does nothing (no hourly rebuilds for nothing).
//
// The one secret: SITEGEN_BUILD_HOOK, the URL of a build hook (Netlify: Project configuration > Build & deploy >
// Build hooks > Add build hook), set as an environment variable with the Functions scope. See sitegen's README.
// Plain JavaScript with no dependencies: Netlify bundles it as it is.

export const SCHEDULE_PATH = '/sitegen-schedule.json'

export const SKEW_MS = 5 * 60 * 1000
// How long after a post's time the function waits before it builds: the build machine's clock may be a little
// behind this one's, and a build whose clock says the post is not due yet would publish nothing.

const MAX_TIMES = 10000

/**
 * Whether to start a build now. `schedule` is the parsed /sitegen-schedule.json ({version, built, scheduled: [ISO
 * times]}), or null when there is none; `now` is milliseconds since the epoch. Pure: the handler's one decision.
 * @returns {{build: boolean, reason: string, due?: string}}
 */
export function decide (schedule, now) {
  if (schedule === null || schedule === undefined) {
    return { build: false, reason: 'no schedule: no post is waiting for its date' }
  }
  if (typeof schedule !== 'object' || Array.isArray(schedule) || schedule.version !== 1) {
    return { build: false, reason: 'the schedule is not one this function reads (version 1)' }
  }
  const built = parseTime(schedule.built)
  if (built === null) {
    return { build: false, reason: 'the schedule has no valid "built" time' }
  }
  if (!Array.isArray(schedule.scheduled) || schedule.scheduled.length > MAX_TIMES) {
    return { build: false, reason: 'the schedule has no valid "scheduled" list' }
  }
  if (!Number.isFinite(now)) {
    return { build: false, reason: 'the clock is not readable' }
  }
  // A time at or before the build was published by it (or is not one sitegen wrote): only later ones count.
  const times = schedule.scheduled.map(parseTime).filter((time) => time !== null && time > built).sort((a, b) => a - b)
  if (times.length === 0) {
    return { build: false, reason: 'no post is waiting for its date' }
  }
  const due = times.filter((time) => time + SKEW_MS <= now)
  if (due.length === 0) {
    return { build: false, reason: `next post due at ${new Date(times[0]).toISOString()}` }
  }
  const last = new Date(due[due.length - 1]).toISOString()
  return { build: true, reason: `${due.length} scheduled post(s) due since the deploy built at ${schedule.built}`, due: last }
}

function parseTime (value) {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    return null
  }
  const time = Date.parse(value)
  return Number.isFinite(time) ? time : null
}

/** The schedule of the live site at `siteUrl`: null when there is none (404), else its parsed JSON. */
export async function readSchedule (siteUrl, fetchImpl = fetch) {
  const response = await fetchImpl(new URL(SCHEDULE_PATH, siteUrl), { headers: { 'cache-control': 'no-cache' } })
  if (response.status === 404) {
    return null
  }
  if (!response.ok) {
    throw new Error(`${SCHEDULE_PATH} answered ${response.status}`)
  }
  return JSON.parse(await response.text())
}

/** The scheduled run: read the schedule, decide, and call the hook only when a post is due. */
export async function run (env, now = Date.now(), fetchImpl = fetch, log = console.log) {
  const hook = env.SITEGEN_BUILD_HOOK
  if (!hook) {
    log('publish-scheduled: SITEGEN_BUILD_HOOK is not set; nothing to do (see the README: Scheduled posts)')
    return { build: false, reason: 'no build hook' }
  }
  const site = env.URL
  if (!site) {
    log('publish-scheduled: the site\'s URL is unknown (Netlify sets URL); nothing to do')
    return { build: false, reason: 'no site URL' }
  }
  let schedule
  try {
    schedule = await readSchedule(site, fetchImpl)
  } catch (error) {
    log(`publish-scheduled: cannot read ${SCHEDULE_PATH}: ${error.message}; nothing to do`)
    return { build: false, reason: 'schedule unreadable' }
  }
  const decision = decide(schedule, now)
  log(`publish-scheduled: ${decision.reason}`)
  if (!decision.build) {
    return decision
  }
  const url = new URL(hook)
  url.searchParams.set('trigger_title', `sitegen: scheduled post due at ${decision.due}`)
  const response = await fetchImpl(url, { method: 'POST', body: '{}' })
  log(`publish-scheduled: build hook answered ${response.status}`)
  return decision
}

export default async () => {
  await run(process.env)
}

export const config = { schedule: '@hourly' }
