"""netlify.toml as Netlify itself reads it: @netlify/config (the library `netlify build` and Netlify's CI resolve the
configuration with, from npm at the version of tests/js/package-lock.json) run offline on the repository's root for
each deploy context. CI installs it with `npm ci --prefix tests/js`; there a missing Node or module is a failure, not
a skip. test_netlify.py checks the same file's shape without Node."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest

from .helpers import ROOT

SCRIPT = ROOT / "tests" / "js" / "netlify_config.mjs"
NODE = shutil.which("node")
CONTEXTS = ("production", "deploy-preview", "branch-deploy")

if NODE is None or not (ROOT / "tests" / "js" / "node_modules" / "@netlify" / "config").is_dir():
    if os.environ.get("CI"):
        raise RuntimeError("CI must install Node and @netlify/config (npm ci --prefix tests/js) for the Netlify "
                           "configuration test")
    pytest.skip("node or tests/js/node_modules/@netlify/config missing (npm ci --prefix tests/js)",
                allow_module_level=True)


@pytest.fixture(scope="module")
def resolved() -> dict[str, Any]:
    assert NODE is not None
    run = subprocess.run([NODE, str(SCRIPT), str(ROOT)], capture_output=True, text=True, timeout=120,
                         cwd=SCRIPT.parent, env={**os.environ, "NETLIFY_SITE_ID": "", "NETLIFY_AUTH_TOKEN": ""})
    assert run.returncode == 0, run.stderr
    result: dict[str, Any] = json.loads(run.stdout)
    return result


@pytest.mark.parametrize("context", CONTEXTS)
def test_every_context_builds_with_sitegen_into_public(resolved: dict[str, Any], context: str) -> None:
    config = resolved[context]
    assert config["configPath"] == str(ROOT / "netlify.toml")
    assert config["command"] == "sitegen build"
    assert Path(config["publish"]).is_absolute() and config["publish"] == str(ROOT / "public")
    assert config["environment"]["PYTHON_VERSION"] == "3.11"


@pytest.mark.parametrize("context", CONTEXTS)
def test_netlify_reads_every_header_as_written(resolved: dict[str, Any], context: str) -> None:
    written = tomllib.loads((ROOT / "netlify.toml").read_text(encoding="utf-8"))["headers"]
    headers = resolved[context]["headers"]
    assert headers == written
    policy = next(rule["values"] for rule in headers if rule["for"] == "/*")["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    immutable = next(rule["values"] for rule in headers if rule["for"] == "/_immutable/*")
    assert immutable == {"Cache-Control": "public, max-age=31536000, immutable"}


@pytest.mark.parametrize("context", CONTEXTS)
def test_the_local_cache_plugin_resolves_and_loads(resolved: dict[str, Any], context: str) -> None:
    (plugin,) = resolved[context]["plugins"]
    assert plugin["package"] == "/netlify/plugins/sitegen-cache"
    path = Path(plugin["path"])
    assert path == ROOT / "netlify/plugins/sitegen-cache/index.js" and path.is_file()
    assert plugin["events"] == ["onPostBuild", "onPreBuild"]


@pytest.mark.parametrize("context", CONTEXTS)
def test_functions_come_from_netlify_functions(resolved: dict[str, Any], context: str) -> None:
    """The scheduled function that publishes posts on their date is where Netlify looks for functions."""
    assert resolved[context]["functionsDirectory"] == str(ROOT / "netlify" / "functions")
    assert (ROOT / "netlify/functions/publish-scheduled.mjs").is_file()
