import json

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
