"""`python -m helpers doctor` says OK here, and names the fix when something is off."""

import io
import subprocess
import sys

from helpers import doctor


def test_doctor_passes_in_the_project_environment():
    out = io.StringIO()
    assert doctor.run_doctor(out) == 0
    assert out.getvalue().count("OK ") == len(doctor.CHECKS)


def test_missing_and_outdated_packages_name_the_fix():
    assert "pip install" in doctor.requirement_problems("no-such-package-xyz>=1.0")
    assert "does not satisfy" in doctor.requirement_problems("pytest>=999.0")
    assert doctor.requirement_problems("pytest>=1.0") is None
    assert doctor.requirement_problems("pytest>=8; extra == 'dev'") is None


def test_a_failing_check_is_reported_not_raised(monkeypatch):
    def broken() -> str:
        raise RuntimeError("checkpoint missing: re-run notebook 04")

    monkeypatch.setitem(doctor.CHECKS, "checkpoints", broken)
    out = io.StringIO()
    assert doctor.run_doctor(out) == 1
    assert "FIX   checkpoints  checkpoint missing: re-run notebook 04" in out.getvalue()


def test_doctor_from_the_command_line():
    done = subprocess.run([sys.executable, "-m", "helpers", "doctor"], capture_output=True,
                          text=True)
    assert done.returncode == 0 and "all good" in done.stdout
