// The decision table of netlify/functions/publish-scheduled.mjs, run with Node's own test runner:
// node --test tests/js/publish_scheduled.test.mjs (tests/test_schedule.py runs it too).
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { config, decide, run, SKEW_MS } from '../../netlify/functions/publish-scheduled.mjs'

const BUILT = '2026-12-01T18:00:00Z'
const at = (iso) => Date.parse(iso)
const schedule = (...times) => ({ version: 1, built: BUILT, scheduled: times })

test('runs every hour', () => {
  assert.deepEqual(config, { schedule: '@hourly' })
})

const table = [
  // [what, schedule, now, build?]
  ['no schedule', null, '2026-12-09T00:00:00Z', false],
  ['no posts waiting', schedule(), '2026-12-09T00:00:00Z', false],
  ['before the post', schedule('2026-12-07T06:00:00Z'), '2026-12-07T05:59:00Z', false],
  ['just after, within the skew', schedule('2026-12-07T06:00:00Z'), '2026-12-07T06:04:59Z', false],
  ['after, past the skew', schedule('2026-12-07T06:00:00Z'), '2026-12-07T06:05:00Z', true],
  ['long after', schedule('2026-12-07T06:00:00Z'), '2027-06-01T00:00:00Z', true],
  ['several, none due', schedule('2026-12-07T06:00:00Z', '2026-12-14T06:00:00Z'), '2026-12-02T00:00:00Z', false],
  ['several, the first due', schedule('2026-12-14T06:00:00Z', '2026-12-07T06:00:00Z'), '2026-12-08T00:00:00Z', true],
  ['a time before the build (it published it)', schedule('2026-11-30T06:00:00Z'), '2026-12-02T00:00:00Z', false],
  ['the build time itself', schedule(BUILT), '2026-12-02T00:00:00Z', false],
  ['a zone offset', schedule('2026-12-07T09:00:00+03:00'), '2026-12-07T06:10:00Z', true],
  ['clock behind the build', schedule('2026-12-07T06:00:00Z'), '2026-12-01T17:00:00Z', false],
  ['malformed: a list', [], '2027-01-01T00:00:00Z', false],
  ['malformed: text', 'oops', '2027-01-01T00:00:00Z', false],
  ['malformed: another version', { version: 2, built: BUILT, scheduled: ['2026-12-07T06:00:00Z'] }, '2027-01-01T00:00:00Z', false],
  ['malformed: no built', { version: 1, scheduled: ['2026-12-07T06:00:00Z'] }, '2027-01-01T00:00:00Z', false],
  ['malformed: built not a time', { version: 1, built: 'yesterday', scheduled: ['2026-12-07T06:00:00Z'] }, '2027-01-01T00:00:00Z', false],
  ['malformed: scheduled not a list', { version: 1, built: BUILT, scheduled: '2026-12-07T06:00:00Z' }, '2027-01-01T00:00:00Z', false],
  ['malformed entries are skipped', schedule(42, null, 'soon', '2026-12-07', '2026-12-07T06:00:00Z'), '2026-12-08T00:00:00Z', true],
  ['only malformed entries', schedule(42, null, 'soon', '2026-12-07'), '2027-01-01T00:00:00Z', false],
]


for (const [what, given, now, expected] of table) {
  test(`decide: ${what}`, () => {
    const decision = decide(given, at(now))
    assert.equal(decision.build, expected, decision.reason)
    assert.equal(typeof decision.reason, 'string')
  })
}

test('decide names the latest post due', () => {
  const decision = decide(schedule('2026-12-07T06:00:00Z', '2026-12-08T06:00:00Z', '2026-12-20T06:00:00Z'),
    at('2026-12-09T00:00:00Z'))
  assert.equal(decision.due, '2026-12-08T06:00:00.000Z')
  assert.equal(SKEW_MS, 300000)
})

function fakeFetch (answers) {
  const calls = []
  const impl = async (url, options = {}) => {
    calls.push({ url: String(url), method: options.method || 'GET' })
    const answer = answers[new URL(url).pathname] ?? { status: 404, body: 'not found' }
    if (answer instanceof Error) throw answer
    return new Response(answer.body, { status: answer.status })
  }
  return { impl, calls }
}

const ENV = { URL: 'https://blog.example.org', SITEGEN_BUILD_HOOK: 'https://api.netlify.com/build_hooks/abc' }
const due = { status: 200, body: JSON.stringify(schedule('2026-12-07T06:00:00Z')) }

test('run: a post due calls the hook once, with a title', async () => {
  const { impl, calls } = fakeFetch({ '/sitegen-schedule.json': due, '/build_hooks/abc': { status: 200, body: '' } })
  const decision = await run(ENV, at('2026-12-08T00:00:00Z'), impl, () => {})
  assert.equal(decision.build, true)
  assert.deepEqual(calls.map((call) => call.method), ['GET', 'POST'])
  assert.equal(calls[0].url, 'https://blog.example.org/sitegen-schedule.json')
  const hook = new URL(calls[1].url)
  assert.equal(hook.origin + hook.pathname, ENV.SITEGEN_BUILD_HOOK)
  assert.equal(hook.searchParams.get('trigger_title'), 'sitegen: scheduled post due at 2026-12-07T06:00:00.000Z')
})

test('run: nothing due calls no hook', async () => {
  const { impl, calls } = fakeFetch({ '/sitegen-schedule.json': due })
  const decision = await run(ENV, at('2026-12-02T00:00:00Z'), impl, () => {})
  assert.equal(decision.build, false)
  assert.deepEqual(calls.map((call) => call.method), ['GET'])
})

test('run: no schedule file (404) calls no hook', async () => {
  const { impl, calls } = fakeFetch({})
  const logs = []
  assert.equal((await run(ENV, at('2027-01-01T00:00:00Z'), impl, (line) => logs.push(line))).build, false)
  assert.equal(calls.length, 1)
  assert.match(logs.join('\n'), /no post is waiting/)
})

test('run: a schedule that is not JSON, or a failing site, calls no hook', async () => {
  for (const answer of [{ status: 200, body: '<html>' }, { status: 500, body: '' }, new Error('offline')]) {
    const { impl, calls } = fakeFetch({ '/sitegen-schedule.json': answer })
    const logs = []
    assert.equal((await run(ENV, at('2027-01-01T00:00:00Z'), impl, (line) => logs.push(line))).build, false)
    assert.equal(calls.length, 1)
    assert.match(logs.join('\n'), /cannot read/)
  }
})

test('run: without the hook or the site URL it reads nothing and calls nothing', async () => {
  for (const env of [{ URL: ENV.URL }, { SITEGEN_BUILD_HOOK: ENV.SITEGEN_BUILD_HOOK }, {}]) {
    const { impl, calls } = fakeFetch({ '/sitegen-schedule.json': due })
    const logs = []
    assert.equal((await run(env, at('2027-01-01T00:00:00Z'), impl, (line) => logs.push(line))).build, false)
    assert.equal(calls.length, 0)
    assert.equal(logs.length, 1)
  }
})
