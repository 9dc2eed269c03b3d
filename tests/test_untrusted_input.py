"""What a user or an attacker can hand the command line and the API: table names that are
paths, numbers too large for any column, odd files to check, pipes that close early."""


import pytest

from helpers.__main__ import main
from helpers.linked_check import check_linked
from helpers.linked_out import file_stem, write_folder
from helpers.spec import SpecError
from helpers.spec_sql import spec_from_sql


@pytest.mark.parametrize("name", ["../victim", "/tmp/abs_x", "..\\\\x", "a/../../b", "..", "nul"])
def test_no_table_name_writes_outside_the_folder(tmp_path, name):
    out = tmp_path / "out"
    quoted = name.replace('"', '""')
    spec = spec_from_sql(f'CREATE TABLE "{quoted}" (id INT PRIMARY KEY);')
    write_folder(spec, out, default_rows=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # nothing beside the folder
    files = sorted(p.name for p in out.iterdir())
    assert files == sorted(["spec.json", file_stem(name) + ".csv"])
    assert check_linked(out).ok  # the check finds the table under the same cleaned name


def test_the_cli_keeps_a_dotted_table_inside_out(tmp_path, capsys):
    schema = tmp_path / "v.sql"
    schema.write_text('CREATE TABLE "../victim" (id INT PRIMARY KEY);\n')
    victim = tmp_path / "victim.csv"
    victim.write_text("precious\n")
    out = tmp_path / "vo"
    assert main(["generate", "--schema", str(schema), "--rows", "2", "--out", f"{out}/",
                 "--force"]) == 0
    assert victim.read_text() == "precious\n"
    assert (out / "victim.csv").is_file()


def test_safe_names_keep_their_file_names():
    assert [file_stem(n) for n in ("customers", "order_items", "Kunden-2024", "ürün")] == \
        ["customers", "order_items", "Kunden-2024", "ürün"]


def test_two_names_that_clean_alike_are_refused(tmp_path):
    spec = spec_from_sql('CREATE TABLE "a/b" (id INT PRIMARY KEY);\n'
                         'CREATE TABLE "A_b" (id INT PRIMARY KEY);')
    with pytest.raises(SpecError, match="'a/b' and 'A_b' would both be written to 'a_b.csv'"):
        write_folder(spec, tmp_path / "out", default_rows=2)
    assert not (tmp_path / "out").exists()


def test_a_full_folder_says_which_files_it_holds(tmp_path, capsys):
    schema = tmp_path / "t.sql"
    schema.write_text("CREATE TABLE t (id INT PRIMARY KEY);\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "spec.json").write_text("{}")
    assert main(["generate", "--schema", str(schema), "--out", f"{out}/"]) == 2
    err = capsys.readouterr().err
    assert "already holds spec.json: add --force" in err and "these tables" not in err
