"""The README's code must work as written."""

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.mark.skipif(not README.exists(), reason="needs the source tree")
def test_readme_starts_with_the_two_commands():
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.S)
    assert blocks[0].strip().startswith("python3 -m venv .venv && . .venv/bin/activate && pip install .")
    assert blocks[0].strip().endswith("fundgap report")
    assert 'pip install ".[test]"' in blocks[1] and blocks[1].strip().endswith("pytest")
    # nothing but a heading and a sentence before the first command
    assert text.index("```sh") < 400


@pytest.mark.skipif(not README.exists(), reason="needs the source tree")
def test_readme_python_quickstart_runs(capsys):
    text = README.read_text(encoding="utf-8")
    code = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert code, "README has no python quickstart"
    namespace: dict = {}
    for block in code:  # every python snippet of the README, in order, as written
        exec(compile(block, str(README), "exec"), namespace)
    out = capsys.readouterr().out
    assert "SINV-31" in out or "ncses" in out
    assert namespace["s"].crossings() is not None
