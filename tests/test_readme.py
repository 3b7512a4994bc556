"""The README documents every Makefile target, `wyze-toolkit` command and option, and addon
option (and no phantom ones), and lists the volatile fields as the matcher has them."""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from wyzeproto.cli.main import build_parser
from wyzeproto.match.fields import VOLATILE

pytest_plugins = ["pytester"]
ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def makefile_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text()
    return set(re.findall(r"^([a-z][a-z-]*):.*## ", text, re.MULTILINE))


class _Loader:
    """Stands in for mitmproxy's loader: records the options an addon declares."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    def add_option(self, name: str, *args: object, **kwargs: object) -> None:
        self.names.add(name)


def addon_options() -> set[str]:
    loader = _Loader()
    for path in sorted((ROOT / "addons").glob("*.py")):
        spec = importlib.util.spec_from_file_location(f"_addon_{path.stem}", path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for addon in module.addons:
            addon.load(loader)
    return loader.names


def test_every_makefile_target_is_in_the_readme() -> None:
    targets = makefile_targets()
    assert {"setup", "test", "capture", "lint-captures", "bench"} <= targets
    missing = sorted(t for t in targets if f"make {t}" not in README)
    assert not missing, f"README.md does not mention: {', '.join('make ' + t for t in missing)}"


def test_every_addon_option_is_in_the_readme() -> None:
    options = addon_options()
    assert {"capture_dir", "capture_hosts", "capture_max_body", "serve_captures"} <= options
    missing = sorted(o for o in options if f"`{o}`" not in README)
    assert not missing, f"README.md does not document the options: {', '.join(missing)}"


def test_every_make_command_in_the_readme_exists() -> None:
    mentioned = set(re.findall(r"\bmake ([a-z][a-z-]*)", README))
    phantom = sorted(mentioned - makefile_targets())
    assert not phantom, f"README.md mentions targets the Makefile lacks: {', '.join(phantom)}"


def test_the_readme_lists_the_volatile_fields_the_matcher_ignores() -> None:
    listed = re.search(r"Volatile fields \(([^)]*)\)", README)
    assert listed, "README.md no longer says which fields are volatile (see fields.VOLATILE)"
    text = " ".join(listed.group(1).split())
    names = set(re.findall(r"`([a-z0-9_]+)`", text))
    assert names <= VOLATILE, f"README.md calls volatile what is not: {sorted(names - VOLATILE)}"
    # The README names these two in words: phone_id's other spelling, "one-time MFA codes".
    in_words = {"phoneid": "phone_id", "verification_code": "MFA code"}
    missing = sorted(f for f in VOLATILE - names if in_words.get(f, f) not in text)
    assert not missing, f"README.md does not list the volatile fields: {', '.join(missing)}"


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_command_and_each_of_its_options_is_in_the_readme_commands_table() -> None:
    commands = _subcommands()
    assert {"capture", "serve", "serve-proxy", "standin", "validate", "lint", "drift", "replay",
            "import", "export", "docs", "demo", "addon-path"} <= set(commands)
    undocumented = []
    for name, sub in commands.items():
        row = next((line for line in README.splitlines()
                    if line.startswith(f"| `wyze-toolkit {name}` |")), None)
        if row is None:
            undocumented.append(f"wyze-toolkit {name}")
            continue
        for action in sub._actions:
            longest = max(action.option_strings, key=len, default=None)
            if longest in (None, "--help", "--debug"):
                continue
            if f"`{longest}`" not in row:
                undocumented.append(f"wyze-toolkit {name} {longest}")
    assert not undocumented, f"README.md's Commands table lacks: {', '.join(undocumented)}"


def test_the_readme_commands_table_names_no_phantom_command() -> None:
    mentioned = set(re.findall(r"^\| `wyze-toolkit ([a-z-]+)` \|", README, re.MULTILINE))
    phantom = sorted(mentioned - set(_subcommands()))
    assert not phantom, f"README.md's Commands table lists commands that do not exist: {phantom}"


def _integration_snippets() -> list[str]:
    section = README.split("## Test your integration against a stand-in Wyze cloud", 1)[1]
    section = section.split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, re.DOTALL)


def test_the_integration_snippets_in_the_readme_pass_as_written(
        pytester: pytest.Pytester) -> None:
    snippets = _integration_snippets()
    assert len(snippets) == 2  # wyze-sdk and wyzeapy
    pytester.makepyfile(**{f"test_snippet_{n}": code for n, code in enumerate(snippets)})
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-W", "error")
    result.assert_outcomes(passed=2)


def _replay_snippet() -> str:
    section = README.split("\n## Replay\n", 1)[1].split("\n## ", 1)[0]
    snippets = re.findall(r"```python\n(.*?)```", section, re.DOTALL)
    assert len(snippets) == 1, "the Replay section shows one Python snippet (wyzeapy)"
    return str(snippets[0])


@pytest.mark.slow
def test_the_replay_snippet_drives_unpatched_wyzeapy_through_the_serve_proxy(
        tmp_path: Path) -> None:
    from wyzeproto.mitmdump import Mitmdump

    cassette = ROOT / "tests" / "cassettes" / "replay" / "sdk_session.yaml"
    proxy = Mitmdump(tmp_path / "conf", ["-s", str(ROOT / "addons" / "serve.py"), "--set",
                                         f"serve_captures={cassette}"]).start()
    try:
        code = _replay_snippet().replace("http://127.0.0.1:8080", proxy.proxy_url) \
            .replace("~/.mitmproxy/mitmproxy-ca-cert.pem", proxy.ca_cert)
        env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
        done = subprocess.run([sys.executable, "-W", "error", "-c", code], env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=60)
    finally:
        proxy.stop()
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "['0000A1B2C3D4', '0000B2C3D4E5']"  # the cassette's devices
