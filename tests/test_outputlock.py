import os
import threading
import time

from klk_analysis.outputlock import holder_text, lock_path, output_lock


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


def test_lock_file_sits_beside_the_folder_and_names_its_holder(tmp_path):
    assert lock_path(tmp_path / "2022-03") == tmp_path / ".2022-03.lock"
    assert holder_text('{"pid": 12, "started": "2026-11-27T04:00:00+00:00"}') == (
        "process 12, startad 2026-11-27T04:00:00+00:00"
    )
    assert holder_text("") == "okänd process"
