"""Where a build will be served, when the command line or the host says so rather than sitegen.yaml: a deploy
preview's own address, or Netlify's production address for a site whose configuration names none.

On Netlify (`NETLIFY=true`), the build reads the variables Netlify documents
(https://docs.netlify.com/configure-builds/environment-variables/#deploy-urls-and-metadata): `CONTEXT` says which
kind of deploy this is; a deploy preview or branch deploy is built for its own address (`DEPLOY_PRIME_URL`) as a
preview (drafts and future posts included and marked, kept out of search engines); production is built for the
configured `base_url`, or for `URL` when the configuration has none. `sitegen build --base-url URL --preview` does
the same for any other host.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from ..sources.config import Config, url_problem

_PREVIEW_CONTEXTS = {"deploy-preview": "Netlify deploy preview", "branch-deploy": "Netlify branch deploy"}


@dataclass(frozen=True, slots=True)
class Deployment:
    """How this build will be published, beyond what the configuration says."""

    base_url: str = ""
    """The address the site is served from, whatever the configuration says (empty: the configuration's)."""
    fallback_url: str = ""
    """The address to use when the configuration names none (Netlify's production `URL`)."""
    preview: bool = False
    """A preview: drafts and future posts are published and marked as such, and no page is indexed."""
    host: str = ""
    """What kind of deploy the host said this is, for the build's report ('Netlify deploy preview')."""


class DeploymentError(ValueError):
    """A base URL given on the command line or by the host that cannot be one."""


def find_deployment(base_url: str | None, preview: bool, environ: Mapping[str, str]) -> Deployment:
    """The deployment the command line (`--base-url`, `--preview`) and the host's environment describe; the
    command line wins. Raises DeploymentError for an address that is not an absolute http(s) URL."""
    deployment = Deployment()
    if environ.get("NETLIFY") == "true":
        context = environ.get("CONTEXT", "")
        if context in _PREVIEW_CONTEXTS and environ.get("DEPLOY_PRIME_URL"):
            deployment = Deployment(_checked(environ["DEPLOY_PRIME_URL"], "DEPLOY_PRIME_URL"), preview=True,
                                    host=_PREVIEW_CONTEXTS[context])
        elif context == "production" and environ.get("URL"):
            deployment = Deployment(fallback_url=_checked(environ["URL"], "URL"), host="Netlify production deploy")
    if base_url is not None:
        deployment = replace(deployment, base_url=_checked(base_url, "--base-url"), fallback_url="")
    if preview:
        deployment = replace(deployment, preview=True)
    return deployment


def deployed_config(config: Config, deployment: Deployment) -> Config:
    """The configuration as this deployment serves it: its base URL, and `noindex` for a preview."""
    base_url = deployment.base_url or (deployment.fallback_url if "base_url" not in config.given else "")
    return replace(config, base_url=base_url or config.base_url, noindex=config.noindex or deployment.preview)


def _checked(url: str, source: str) -> str:
    url = url.strip()
    if problem := url_problem(url):
        raise DeploymentError(f"{source} {url!r} {problem}, such as https://example.com/")
    return url if url.endswith("/") else url + "/"
