"""An installed wheel works with no checkout: the schemas, catalog and addons are package data.

The wheel is built from this checkout and installed into a fresh virtual environment in a
temporary folder. Tests never reach the network, so the fresh environment borrows the
*dependencies* (mitmproxy, jsonschema, ...) from the environment running the tests through
a ``.pth`` file, and gets a ``mitmdump`` script of its own; the toolkit itself comes only from
the wheel, which the first test checks. (``.ci/run`` also installs the wheel with its real
dependencies from the package index: ``make install-check``.)
"""

from __future__ import annotations

import shutil
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "captures" / "reference"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ folder of a fresh venv holding the wheel built from this checkout."""
    base = tmp_path_factory.mktemp("install")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
         "-q", "-w", str(base / "dist"), str(ROOT)], capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr[-2000:]
    wheel = next((base / "dist").glob("wyze_cloud_toolkit-*.whl"))
    env = base / "venv"
    venv.EnvBuilder(with_pip=True).create(env)
    python = env / "bin" / "python"
    done = subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index",
                           str(wheel)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig."
                              "get_paths()['purelib'])"], capture_output=True, text=True,
                             check=True).stdout.strip()
    borrowed = [p for p in site.getsitepackages() if Path(p).is_dir()]
    (Path(purelib) / "_borrowed_dependencies.pth").write_text("\n".join(borrowed) + "\n")
    mitmdump = env / "bin" / "mitmdump"
    mitmdump.write_text(f"#!{python}\nfrom mitmproxy.tools.main import mitmdump\nmitmdump()\n")
    mitmdump.chmod(0o755)
    return env / "bin"


def toolkit(bin_dir: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(bin_dir / "wyze-toolkit"), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300, env={"PATH": f"{bin_dir}:/usr/bin:/bin",
                                                       "HOME": str(cwd)})


def test_the_toolkit_comes_from_the_wheel_not_the_checkout(installed: Path,
                                                           tmp_path: Path) -> None:
    done = subprocess.run([str(installed / "python"), "-c",
                           "import wyzeproto, replay, standin, demo, wyzeproto.resources as r;"
                           "print(wyzeproto.__file__, replay.__file__, standin.__file__,"
                           " demo.__file__, r.schemas_dir(), r.addon_path('capture'))"],
                          cwd=tmp_path, capture_output=True, text=True, check=True)
    paths = done.stdout.split()
    assert len(paths) == 6
    assert all(str(installed.parent) in p and str(ROOT) not in p for p in paths), paths


def test_validate_lint_and_replay_run_from_a_folder_with_no_clone(installed: Path,
                                                                  tmp_path: Path) -> None:
    shutil.copytree(REFERENCE, tmp_path / "captures")
    for command in ("validate", "lint", "replay", "drift"):
        done = toolkit(installed, tmp_path, command, "captures")
        assert done.returncode == 0, f"{command}: {done.stdout[-1000:]}{done.stderr[-1000:]}"
        assert "Traceback" not in done.stderr
    done = toolkit(installed, tmp_path, "validate", "captures", "--format", "json")
    # as many as the reference cassettes hold (one per documented outcome; grows with issue 10)
    recorded = sum(p.read_text().count("\n- request:") + p.read_text().startswith("- request:")
                   for p in (tmp_path / "captures").rglob("*.yaml"))
    assert f'"interactions": {recorded}' in done.stdout and '"ok": true' in done.stdout


def test_addon_path_gives_a_file_in_the_installed_package(installed: Path,
                                                          tmp_path: Path) -> None:
    done = toolkit(installed, tmp_path, "addon-path", "capture")
    path = Path(done.stdout.strip())
    assert done.returncode == 0 and path.is_file() and str(installed.parent) in str(path)


def test_the_demo_passes_from_a_folder_with_no_clone(installed: Path, tmp_path: Path) -> None:
    done = toolkit(installed, tmp_path, "demo")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "demo: PASSED" in done.stdout
    assert (tmp_path / "demo-output" / "captures" / "app-session.yaml").is_file()
