"""kiosk.core is pure domain: it imports no Qt, SQL, OpenCV or printer library."""

import ast
import subprocess
import sys
from pathlib import Path

import kiosk.core

CORE = Path(kiosk.core.__file__).parent
FORBIDDEN = ("PySide6", "sqlalchemy", "alembic", "psycopg", "cv2", "escpos", "zxingcpp", "pyzbar", "PIL", "qrcode",
             "numpy")


def test_core_sources_import_nothing_forbidden():
    offenders = []
    for path in CORE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                if name.split(".")[0] in FORBIDDEN or (name.startswith("kiosk.") and not name.startswith("kiosk.core")):
                    offenders.append(f"{path.name}: {name}")
    assert not offenders


def test_importing_core_loads_no_forbidden_module():
    modules = [f"kiosk.core.{p.stem}" for p in CORE.glob("*.py") if p.stem != "__init__"]
    code = "import sys\n" + "".join(f"import {m}\n" for m in modules) + \
        f"print(','.join(m for m in {FORBIDDEN!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_core_is_mypy_strict_clean():
    from mypy import api

    stdout, stderr, status = api.run(["--config-file", str(CORE.parents[1] / "pyproject.toml"), str(CORE)])
    assert status == 0, stdout + stderr
