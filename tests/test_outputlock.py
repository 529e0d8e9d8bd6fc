import json
import os
import subprocess
import sys
import threading
import time
from pathlib import PureWindowsPath

import pytest

from klk_analysis.outputlock import holder_path, holder_text, lock_path, output_lock


@pytest.mark.slow
def test_second_run_waits_for_the_lock_and_says_who_holds_it(tmp_path):
    out = tmp_path / "2022-03"
    held = threading.Event()

    def hold():
        with output_lock(out):
            held.set()
            time.sleep(0.6)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait()
    messages = []
    started = time.perf_counter()
    with output_lock(out, messages.append):
        waited = time.perf_counter() - started
    holder.join()
    assert waited > 0.3
    assert len(messages) == 1 and f"process {os.getpid()}" in messages[0]


_HOLD = """
import sys, time
from pathlib import Path
from klk_analysis.outputlock import output_lock
with output_lock(Path(sys.argv[1])):
    print("håller", flush=True)
    time.sleep(1.5)
"""


@pytest.mark.slow
def test_a_second_process_waits_and_is_told_which_process_holds_the_folder(tmp_path):
    out = tmp_path / "2022-03"
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(out)],
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert holder.stdout.readline().strip() == "håller"
    sidecar = json.loads(holder_path(out).read_text(encoding="utf-8"))
    assert sidecar["pid"] == holder.pid
    messages = []
    started = time.perf_counter()
    with output_lock(out, messages.append):
        waited = time.perf_counter() - started
        mine = json.loads(holder_path(out).read_text(encoding="utf-8"))
    holder.wait(timeout=30)
    assert waited > 0.5
    assert messages == [
        f"{out} används av en annan körning (process {holder.pid}, startad "
        f"{sidecar['started']}); väntar tills den är klar."
    ]
    assert mine["pid"] == os.getpid()
    assert not holder_path(out).exists()  # nobody holds the folder now


def test_lock_file_sits_beside_the_folder_and_names_its_holder(tmp_path):
    assert lock_path(tmp_path / "2022-03") == tmp_path / ".2022-03.lock"
    assert holder_path(tmp_path / "2022-03") == tmp_path / ".2022-03.lock.json"
    assert holder_text('{"pid": 12, "started": "2026-11-27T04:00:00+00:00"}') == (
        "process 12, startad 2026-11-27T04:00:00+00:00"
    )
    assert holder_text("") == "okänd process"


def test_lock_names_are_built_right_for_long_onedrive_paths_on_windows():
    folder = (
        PureWindowsPath(r"C:\Users\ekonom\OneDrive - Eskilstuna kommun\Ekonomi\Delår 2")
        / "Kommunstyrelsens delårsrapporter och årsredovisningar för åren 2022 till 2026"
        / "Underlag från förvaltningarna, granskade av ekonomiavdelningen"
        / "outputs"
        / "2022-03"
    )
    assert len(str(folder)) > 200
    parent = (
        r"C:\Users\ekonom\OneDrive - Eskilstuna kommun\Ekonomi\Delår 2"
        r"\Kommunstyrelsens delårsrapporter och årsredovisningar för åren 2022 till 2026"
        r"\Underlag från förvaltningarna, granskade av ekonomiavdelningen\outputs"
    )
    assert str(lock_path(folder)) == parent + r"\.2022-03.lock"
    assert str(holder_path(folder)) == parent + r"\.2022-03.lock.json"
