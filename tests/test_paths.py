from pathlib import Path

from klk_analysis import paths


def test_resolve_anchors_relative_paths_on_the_project_root():
    assert paths.resolve("data/raw") == paths.ROOT / "data" / "raw"
    assert paths.resolve(Path("/tmp/x.xlsx")) == Path("/tmp/x.xlsx")
    assert (paths.ROOT / "pyproject.toml").exists()
