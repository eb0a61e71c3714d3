"""Reply form submissions from Netlify's API (https://open-api.netlify.com, netlify/open-api swagger.yml):
`GET /sites/{site_id}/forms` finds the form named 'reply', `GET /forms/{form_id}/submissions` lists its verified
submissions and `?state=spam` the ones Netlify's filter caught, page by page (`page`, `per_page`, `Link`);
`PUT /submissions/{id}/spam` reports one as spam. A personal access token is sent as `Authorization: Bearer`."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from .fetch import FetchError, Service, get_json, get_pages
from .model import Pending, iso_date
from .posts import PostIndex

API = "https://api.netlify.com/api/v1"
API_VARIABLE = "SITEGEN_NETLIFY_API"
"""Another API address (a test server)."""
TOKEN_VARIABLE = "NETLIFY_AUTH_TOKEN"
SITE_VARIABLE = "NETLIFY_SITE_ID"
FORM_NAME = "reply"
"""The `name` of the theme's reply form (templates/partials/reply_form.html)."""
PER_PAGE = 100
STATE_FILE = Path(".netlify") / "state.json"
"""Where `netlify link` (netlify-cli) writes the site's id: {"siteId": "..."}."""


def netlify_service(environ: Mapping[str, str]) -> Service:
    """The API with the token from the environment; FetchError naming the variable when there is none."""
    token = environ.get(TOKEN_VARIABLE, "").strip()
    if not token:
        raise FetchError(f"no Netlify token: set {TOKEN_VARIABLE} to a personal access token (Netlify: User "
                         "settings > Applications > Personal access tokens); it is read from the environment only, "
                         "never written to the site")
    return Service("Netlify", TOKEN_VARIABLE, {"Authorization": f"Bearer {token}"}, token)


def find_site_id(root: Path, environ: Mapping[str, str]) -> str:
    """The Netlify site id: $NETLIFY_SITE_ID, else the one `netlify link` wrote in .netlify/state.json."""
    if site_id := environ.get(SITE_VARIABLE, "").strip():
        return site_id
    try:
        state = json.loads((root / STATE_FILE).read_bytes())
    except (OSError, ValueError, RecursionError):
        state = None
    if isinstance(state, dict) and isinstance(state.get("siteId"), str) and state["siteId"].strip():
        return str(state["siteId"]).strip()
    raise FetchError(f"no Netlify site id: set {SITE_VARIABLE} (Netlify: Site configuration > Site details > Site "
                     f"ID), or run `netlify link` in the site's folder, which writes {STATE_FILE.as_posix()}")


def pull_submissions(root: Path, posts: PostIndex, environ: Mapping[str, str]) -> tuple[list[Pending], str]:
    """Every submission of the site's reply form, verified and spam, as pending replies, and a note when there is
    no such form yet; FetchError on failure."""
    service = netlify_service(environ)
    site_id = find_site_id(root, environ)
    api = environ.get(API_VARIABLE, "").strip().rstrip("/") or API
    forms, _ = get_json(f"{api}/sites/{quote(site_id, safe='')}/forms", service,
                        f"Netlify knows no site with id '{site_id}': check {SITE_VARIABLE} or .netlify/state.json")
    if not isinstance(forms, list):
        raise FetchError("Netlify's list of forms is not a list; nothing was changed")
    form = next((f for f in forms if isinstance(f, dict) and f.get("name") == FORM_NAME), None)
    if form is None or not isinstance(form.get("id"), str):
        return [], (f"Netlify has no form named '{FORM_NAME}' on site {site_id} yet: it appears once a deploy "
                    "with `reply_form: true` is live")
    form_id = form["id"]
    pulled: list[Pending] = []
    for state in ("verified", "spam"):
        query = {"per_page": PER_PAGE, **({"state": "spam"} if state == "spam" else {})}
        url = f"{api}/forms/{quote(form_id, safe='')}/submissions?{urlencode(query)}"
        for page in get_pages(url, service, f"Netlify knows no form with id '{form_id}' (the site's '{FORM_NAME}' "
                                            "form)"):
            pulled.extend(item for submission in page
                          if (item := parse_submission(submission, posts, spam=state == "spam")) is not None)
    return pulled, ""


def report_spam(submission_id: str, environ: Mapping[str, str]) -> None:
    """Tell Netlify a submission is spam (`PUT /submissions/{id}/spam`); FetchError on failure."""
    service = netlify_service(environ)
    api = environ.get(API_VARIABLE, "").strip().rstrip("/") or API
    get_json(f"{api}/submissions/{quote(submission_id, safe='')}/spam", service,
             f"Netlify knows no submission with id '{submission_id}' (deleted in the dashboard?)", method="PUT")


def parse_submission(submission: Any, posts: PostIndex, *, spam: bool) -> Pending | None:
    """A submission object (`id`, `created_at`, `data` with the form's fields: post, name, email, url, message) as
    a pending reply; None when it has no id (nothing to key it by)."""
    if not isinstance(submission, dict) or not isinstance(submission.get("id"), str) or not submission["id"]:
        return None
    data = submission.get("data")
    data = data if isinstance(data, dict) else {}

    def field(*names: str) -> str:
        for source in (data, submission):
            for name in names:
                if isinstance(value := source.get(name), str) and value.strip():
                    return value.strip()
        return ""

    target = field("post")
    return Pending(id=f"nf-{submission['id']}", source="netlify", post=posts.match(target), target=target,
                   name=" ".join(field("name").split()), email=field("email"), url=field("url"),
                   date=iso_date(field("created_at")), text=field("message", "body"), spam=spam)

