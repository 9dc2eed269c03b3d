import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from helpers import NotADatasetRequest, generate_dataset, load_catalog, write_table
from helpers.__main__ import main

HOSPITAL = load_catalog()["hospital"]


@pytest.mark.parametrize("suffix", [".csv", ".json", ".parquet"])
def test_write_table_round_trips(tmp_path, suffix):
    path = write_table(HOSPITAL, tmp_path / f"t{suffix}", rows=250, seed=0)
    if suffix == ".csv":
        back = pd.read_csv(path)
    elif suffix == ".json":
        back = pd.DataFrame(json.loads(path.read_text()))
    else:
        back = pd.read_parquet(path)
    assert list(back.columns) == HOSPITAL and len(back) == 250
    assert back["patient_id"].is_unique
    assert not list(tmp_path.glob(".*partial"))


def test_chunked_file_equals_the_in_memory_table(tmp_path):
    path = write_table(["patient_id", "name", "gpa"], tmp_path / "t.csv", rows=210_000, seed=4)
    back = pd.read_csv(path)
    from helpers import generate_dataframe

    memory = generate_dataframe(["patient_id", "name", "gpa"], rows=210_000, seed=4)
    assert back["patient_id"].tolist() == memory["patient_id"].tolist()
    assert back["name"].tolist() == memory["name"].tolist()


def test_failure_leaves_no_file(tmp_path, monkeypatch):
    import helpers.export as export

    def broken(*args, **kwargs):
        yield pd.DataFrame({"name": ["x"]})
        raise RuntimeError("disk full")

    monkeypatch.setattr(export, "iter_chunks", broken)
    with pytest.raises(RuntimeError):
        write_table(["name"], tmp_path / "t.csv", rows=5)
    assert list(tmp_path.iterdir()) == []


def test_generate_dataset_end_to_end():
    table = generate_dataset("generate a hospital dataset", rows=5, seed=0)
    assert list(table.columns) == HOSPITAL and len(table) == 5


def test_non_dataset_prompt_explains_itself():
    with pytest.raises(NotADatasetRequest, match="does not look like a request.*Try for example"):
        generate_dataset("tell me a joke")


def test_cli_prints_a_table(capsys):
    assert main(["generate", "generate a hospital dataset", "--rows", "3"]) == 0
    out = capsys.readouterr().out
    assert "patient_id" in out and "PAT-000003" in out


def test_cli_writes_a_file(tmp_path, capsys):
    out = tmp_path / "patients.csv"
    assert main(["generate", "hospital patients", "--rows", "20", "--out", str(out)]) == 0
    assert len(pd.read_csv(out)) == 20


@pytest.mark.parametrize("args, message", [
    (["tell me a joke"], "does not look like a request"),
    (["a hospital dataset", "--rows", "0"], "rows must be at least 1"),
    (["a hospital dataset", "--locale", "xx_XX"], "supported: en_US"),
    (["a hospital dataset", "--out", "t.xlsx"], "use one of .csv, .json, .parquet"),
    (["a hospital dataset", "--out", "no/such/folder/t.csv"], "does not exist"),
    (["a hospital dataset", "--rows", "5000000"], "add --out"),
    (["   "], "prompt is empty"),
    (["a hospital dataset", "--out", ""], "output path is empty"),
    (["a hospital dataset", "--out", "   "], "output path is empty"),
    (["a hospital dataset", "--out", "."], "use one of"),
    (["a hospital dataset " + "9" * 4401], "at most 500 are read"),
    (["a hospital dataset \udcff"], "not UTF-8 text"),
])
def test_cli_bad_input_exits_2_with_a_message(args, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["generate", *args]) == 2
    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_cli_non_integer_rows_exits_2(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["generate", "a hospital dataset", "--rows", "ten"])
    assert exit_.value.code == 2
    assert "invalid int value" in capsys.readouterr().err


def test_cli_phone_format(tmp_path):
    out = tmp_path / "customers.csv"
    args = ["generate", "a list of customers with emails and phone numbers", "--rows", "20",
            "--phone-format", "e164", "--locale", "de_DE", "--out", str(out)]
    assert main(args) == 0
    phones = pd.read_csv(out, dtype=str)["phone"]
    assert len(phones) == 20 and phones.str.fullmatch(r"\+49\d{9,12}").all()


def test_streamed_emails_stay_unique_past_the_first_chunk(tmp_path):
    path = write_table(["name", "email"], tmp_path / "people.csv", rows=230_000, seed=1)
    emails = pd.read_csv(path)["email"]
    assert len(emails) == 230_000 and emails.is_unique


ROOT = Path(__file__).resolve().parents[1]


def default_sigint() -> None:
    """A job started in the background (make test &) inherits SIGINT ignored; Python then
    leaves it ignored, as it should. The child of this test gets the default back."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def cli(*args: str, cwd: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "helpers", "generate", *args], cwd=cwd,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=default_sigint if os.name == "posix" else None)


def test_messages_name_no_errno_and_no_temporary_file(tmp_path, capsys):
    (tmp_path / "folder.csv").mkdir()
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    outs = [tmp_path / "folder.csv", "/proc/t.csv"]  # a folder; a place nobody can write
    if os.name == "posix" and os.geteuid() != 0:  # root writes into a read-only folder anyway
        outs.append(locked / "t.csv")
    try:
        for out in outs:
            assert main(["generate", "a hospital dataset", "--rows", "2", "--out", str(out)]) == 2
            err = capsys.readouterr().err.splitlines()[-1]
            assert err.startswith("error: ") and "Errno" not in err and ".partial" not in err
    finally:
        locked.chmod(0o700)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.csv", "locked"]
    assert list(locked.iterdir()) == [] and list((tmp_path / "folder.csv").iterdir()) == []


def test_an_existing_file_is_replaced_only_with_force(tmp_path, capsys):
    out = tmp_path / "t.csv"
    out.write_text("keep me\n")
    assert main(["generate", "a hospital dataset", "--rows", "2", "--out", str(out)]) == 2
    assert "exists: add --force" in capsys.readouterr().err
    assert out.read_text() == "keep me\n"
    with pytest.raises(FileExistsError):
        write_table(["name"], out, rows=2, replace=False)
    assert out.read_text() == "keep me\n"
    assert main(["generate", "a hospital dataset", "--rows", "2", "--out", str(out),
                 "--force"]) == 0
    assert len(pd.read_csv(out)) == 2 and sorted(p.name for p in tmp_path.iterdir()) == ["t.csv"]


def test_the_written_file_gets_the_usual_permissions(tmp_path):
    mask = os.umask(0o022)
    try:
        path = write_table(["name"], tmp_path / "t.csv", rows=2)
    finally:
        os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o644


def test_two_runs_writing_the_same_file_leave_one_whole_table(tmp_path):
    """Each run has a temporary file of its own and renames it whole: the file left is one
    run's table, every row with every field, every id once (before: shared temporary name,
    rows of 9-15 fields, duplicate ids)."""
    args = ["generate a hospital dataset", "--rows", "250000", "--out", "same.csv", "--force"]
    runs = [cli(*args, "--seed", str(seed), cwd=tmp_path) for seed in (1, 2)]
    for run in runs:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
    assert [p.name for p in tmp_path.iterdir()] == ["same.csv"]
    with open(tmp_path / "same.csv", newline="") as f:
        rows = list(csv.reader(f))
    assert {len(r) for r in rows} == {9} and len(rows) == 250_001
    ids = [r[0] for r in rows[1:]]
    assert len(set(ids)) == len(ids)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_a_signal_mid_write_leaves_nothing(tmp_path):
    """SIGINT, SIGTERM and SIGHUP while a large file is being written: the temporary file is
    removed, one line is printed (no traceback), and the exit status is 128 + the signal."""
    runs = {}
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        folder = tmp_path / sig.name
        folder.mkdir()
        runs[sig] = (folder, cli("a hospital dataset", "--rows", "3000000", "--out", "big.csv",
                                 cwd=folder))
    for sig, (folder, run) in runs.items():
        for _ in range(600):  # wait until the temporary file has data in it
            partial = list(folder.glob(".big.csv.*.partial"))
            if partial and partial[0].stat().st_size > 1_000_000:
                break
            time.sleep(0.1)
        else:
            run.kill()
            pytest.fail(f"{sig.name}: no temporary file appeared")
        run.send_signal(sig)
    for sig, (folder, run) in runs.items():
        _, err = run.communicate(timeout=60)
        assert run.returncode == 128 + sig, (sig.name, err)
        last = err.strip().splitlines()[-1]
        assert last.startswith(f"interrupted ({sig.name})") and "Traceback" not in err, err
        assert list(folder.iterdir()) == [], sig.name


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_passes_the_prompt_as_data(tmp_path):
    """`$5`, backticks, `;` and quotes in PROMPT reach the program as typed, and run nothing."""
    stub = tmp_path / "echo_args.py"
    stub.write_text("#!" + sys.executable + "\nimport json, sys\nprint(json.dumps(sys.argv[1:]))\n")
    stub.chmod(0o755)
    prompt = 'products under $5 `touch pwned1`; touch pwned2 "$(touch pwned3)" \'x\' $$ \\'
    done = subprocess.run(["make", "-s", "-C", str(ROOT), "-o", ".venv/.installed-stamp", "run",
                           f"PY={stub}", f"PROMPT={prompt}", "ROWS=3; touch pwned4"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    argv = json.loads(done.stdout)
    assert argv[-1] == prompt and argv[-2] == "--"
    assert argv[argv.index("--rows") + 1] == "3; touch pwned4"
    assert not list(tmp_path.glob("pwned*")) and not list(ROOT.glob("pwned*"))


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_end_to_end():
    done = subprocess.run(["make", "-s", "-C", str(ROOT), "-o", ".venv/.installed-stamp", "run",
                           f"PY={sys.executable}", "PROMPT=-a hospital dataset for $5",
                           "ROWS=2"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "PAT-000002" in done.stdout and "PAT-000003" not in done.stdout
