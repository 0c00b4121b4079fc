"""The `copydesk` command installed with the package: the Rust command
line run through the extension, with the binary's output and exit codes."""

import os
import pathlib
import shutil
import subprocess
import sys

import pytest

SPUN = "The strike violated global law.\n"
FIXED = "The strike violated international law.\n"


def command():
    """The `copydesk` script next to this interpreter (the venv's)."""
    here = pathlib.Path(sys.executable).parent
    found = shutil.which("copydesk", path=str(here))
    if found is None:
        pytest.skip("no copydesk script next to the interpreter (package not installed)")
    return found


def run(args, stdin="", cwd=None):
    return subprocess.run(
        [command(), *args], input=stdin, capture_output=True, text=True, cwd=cwd, timeout=120
    )


def test_clean_from_stdin_exits_0():
    out = run(["clean"], SPUN)
    assert (out.returncode, out.stdout, out.stderr) == (0, FIXED, "")


def test_output_without_a_final_newline_is_all_written():
    out = run(["clean"], "global law")
    assert (out.returncode, out.stdout) == (0, "international law")


def test_check_and_clean_check_exit_1_with_findings():
    out = run(["clean", "--check"], SPUN)
    assert out.returncode == 1
    assert "-The strike violated global law." in out.stdout
    assert "+The strike violated international law." in out.stdout
    assert run(["check"], SPUN).returncode == 1
    assert run(["check"], FIXED).returncode == 0


def test_errors_exit_2_naming_the_file(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules: [")
    out = run(["clean", "--rules", str(bad)], SPUN)
    assert out.returncode == 2 and str(bad) in out.stderr and out.stdout == ""
    usage = run(["clean", "--no-such-flag"])
    assert usage.returncode == 2 and "--no-such-flag" in usage.stderr


def test_program_name_version_and_help():
    version = run(["--version"])
    assert version.returncode == 0 and version.stdout.startswith("copydesk ")
    helped = run(["--help"])
    assert helped.returncode == 0 and "Usage: copydesk" in helped.stdout


def test_write_files_and_jsonl(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(SPUN)
    assert run(["clean", "--write", str(article)]).returncode == 0
    assert article.read_text() == FIXED
    out = run(["clean", "--jsonl", "text"], '{"id": 1, "text": "global law"}\n')
    assert out.stdout == '{"id": 1, "text": "international law"}\n'


def test_non_utf8_arguments_reach_the_command(tmp_path):
    name = os.fsdecode(b"caf\xe9.txt")  # not UTF-8: a surrogate-escaped str
    path = tmp_path / name
    path.write_text(SPUN)
    out = run(["clean", str(path)])
    assert (out.returncode, out.stdout) == (0, FIXED)


def test_python_dash_m():
    out = subprocess.run(
        [sys.executable, "-m", "copydesk", "clean"], input=SPUN, capture_output=True, text=True
    )
    assert (out.returncode, out.stdout) == (0, FIXED)


def test_closed_pipe_is_quiet():
    """`copydesk … | head -c 10`: the reader leaves, the command ends quietly."""
    big = SPUN * 200000
    proc = subprocess.Popen(
        [command(), "clean"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    proc.stdin.write(big.encode())
    proc.stdin.close()
    proc.stdout.read(10)
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=120) == 0 and err == b""
