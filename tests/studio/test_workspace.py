"""The draft: edits keep every file as the marketer's colleagues wrote it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT
from studio.workspace import ContentError, Workspace, check_path


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return Workspace(PROJECT_ROOT, tmp_path / "draft").ensure()


def test_every_content_file_survives_a_round_trip_byte_for_byte(workspace: Workspace) -> None:
    files = workspace.files()
    assert {"domain.yml", "data/nlu.yml", "consent.yml", "campaigns/welcome.yml"} <= set(files)
    for path in files:
        workspace.dump_yaml(path, workspace.load_yaml(path))
    assert workspace.changed() == []


def test_an_example_is_added_once_and_only_where_it_belongs(workspace: Workspace) -> None:
    workspace.add_nlu_example("greet", "  hey   there studio ")
    workspace.add_nlu_example("greet", "hey there studio")
    text = workspace.read("data/nlu.yml")
    assert text.count("- hey there studio\n") == 1
    assert workspace.changed() == ["data/nlu.yml"]
    with pytest.raises(ContentError, match="no intent"):
        workspace.add_nlu_example("no_such_intent", "hello")
    with pytest.raises(ContentError, match="empty"):
        workspace.add_nlu_example("greet", "   ")


def test_paths_outside_the_content_are_refused(workspace: Workspace) -> None:
    for bad in (
        "../etc/passwd",
        "/etc/passwd",
        "actions/lead.py",
        "data/../../x.yml",
        "endpoints.yml",
    ):
        with pytest.raises(ContentError):
            check_path(bad)
    assert check_path("data/nlu.yml") == "data/nlu.yml"


def test_reset_throws_the_draft_away(workspace: Workspace) -> None:
    workspace.write("consent.yml", "version: x\n")
    assert workspace.changed() == ["consent.yml"]
    workspace.reset()
    assert workspace.changed() == []
