"""The README documents every Makefile target and every addon option (and no phantom ones)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

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
