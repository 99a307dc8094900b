"""A git revision's tree for the benches that compare this checkout with another one in the
same run (`--ref REV`): bench_issue, bench_history."""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def checkout(rev: str) -> Iterator[Path]:
    """The tree of git revision `rev` in a temporary worktree (removed afterwards)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ref"
        subprocess.run(  # noqa: S603
            ["git", "worktree", "add", "--detach", str(path), rev],  # noqa: S607
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        try:
            yield path
        finally:
            subprocess.run(  # noqa: S603
                ["git", "worktree", "remove", "--force", str(path)],  # noqa: S607
                cwd=ROOT,
                check=False,
                capture_output=True,
            )
