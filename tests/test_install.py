"""The front door: `pip install .` (not editable) gives a working hftc-annot from any directory."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from conftest import data_rows

ROOT = Path(__file__).resolve().parents[1]


def _can_build_offline() -> bool:
    """An offline, non-isolated build needs setuptools >= 70.1 (built-in bdist_wheel) or `wheel`."""
    try:
        import setuptools.command.bdist_wheel  # noqa: F401
    except ImportError:
        try:
            import wheel  # noqa: F401
        except ImportError:
            return False
    return True


@pytest.mark.skipif(not _can_build_offline(), reason="needs setuptools >= 70.1 or wheel to build offline")
def test_pip_install_gives_a_working_command(tmp_path: Path) -> None:
    source = tmp_path / "src"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".git", ".venv*", "build", "*.egg-info", "__pycache__"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    # The dependencies come from this environment: its site-packages are added as plain paths (their .pth
    # files, such as an editable install's finder, are not run), after the new environment's own.
    own = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                         capture_output=True, text=True, check=True).stdout.strip()
    parent = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(own, "dependencies.pth").write_text("".join(f"{p}\n" for p in sorted(parent)))
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", "--no-index",
                    "--no-build-isolation", str(source)], check=True, capture_output=True)
    shutil.rmtree(source)  # the installed tool must not need the checkout
    where = subprocess.run([str(python), "-c", "import hftc_annot; print(hftc_annot.__file__)"],
                           capture_output=True, text=True, check=True, cwd=tmp_path).stdout
    assert where.startswith(str(env_dir)), where
    packages = sorted(str(p.parent.relative_to(ROOT)).replace("/", ".")
                      for p in (ROOT / "hftc_annot").rglob("__init__.py"))
    subprocess.run([str(python), "-c", "import " + ", ".join(packages)], check=True, cwd=tmp_path)  # all installed
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    example = ROOT / "example_vcfs" / "single_exome.vcf.gz"
    run = subprocess.run([str(env_dir / "bin" / "hftc-annot"), str(example)], capture_output=True, text=True,
                         cwd=elsewhere, check=True)
    assert len(data_rows(run.stdout)) == 27  # the <DEL> in KL's intron 1 has a row too
    assert "26 in panel regions" in run.stderr
    panel = subprocess.run([str(env_dir / "bin" / "hftc-annot"), "panel"], capture_output=True, text=True,
                           cwd=elsewhere, check=True)
    assert len(panel.stdout.splitlines()) == 50
