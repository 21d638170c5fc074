"""The draft: a working copy of the bot's content that the studio edits.

The live content is the files under `Settings.content_root` (what `parley run` trains
and serves). The draft is a copy of them under the data dir; every edit is written there
at once, and publishing copies the draft back over the live files. One draft is shared
by every studio user, as in a shared document: edits are serialised by a lock.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from io import StringIO
from pathlib import Path, PurePosixPath
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import LiteralScalarString
from ruamel.yaml.util import load_yaml_guess_indent

from bot.errors import ParleyError
from bot.interruptions import is_topic
from bot.settings import Settings

# Relative paths (globs) of the content a studio may edit and publish.
CONTENT = ("config.yml", "domain.yml", "data/**/*.yml", "consent.yml", "qualification.yml",
           "scoring.yml", "booking.yml", "knowledge.yml", "routing.yml", "lead_fields.yml",
           "campaigns/*.yml",
           "conversation_tests.yml", "tests/test_stories.yml")  # fmt: skip
MARKER = ".parley-draft"
NLU = "data/nlu.yml"
# The marketers' topics (studio/topics.py) live in files of their own, so that editing
# them never rewrites the built-in training data.
TOPIC_NLU = "data/nlu_topics.yml"
TOPIC_RULES = "data/rules_topics.yml"
_LOCKS: dict[Path, threading.RLock] = {}
_LOCKS_GUARD = threading.Lock()


class ContentError(ParleyError):
    """A content path or edit the studio refuses."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def yaml(like: str = "") -> YAML:
    """Round-trip YAML: comments, order, quoting and the indentation of `like` (the
    file's current text) survive an edit."""
    loader = YAML(typ="rt")
    loader.preserve_quotes = True  # type: ignore[assignment]
    loader.width = 4096  # type: ignore[assignment]  # never re-wrap a long response
    indent: int = 2
    offset: int = 2
    if like:
        _, guessed, guessed_offset = load_yaml_guess_indent(like)
        indent, offset = int(guessed or 2), int(guessed_offset or 0)
        found = sequence_offset(like)
        offset = offset if found is None else found
    loader.indent(mapping=2, sequence=max(indent, offset + 2), offset=offset)
    # Rasa's files say `null`; ruamel would leave the value empty.
    loader.representer.add_representer(
        type(None), lambda dumper, _: dumper.represent_scalar("tag:yaml.org,2002:null", "null")
    )
    return loader


def sequence_offset(text: str) -> int | None:
    """How far a block list's dashes sit in from their key. ruamel's own guess reads a
    comment line between `steps:` and its first `- ` as the list's indentation."""
    parent: str | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("- ") and parent is not None and parent.rstrip().endswith(":"):
            return (len(line) - len(line.lstrip())) - (len(parent) - len(parent.lstrip()))
        parent = line
    return None


def content_files(root: Path) -> dict[str, str]:
    """Every content file under `root`, by relative POSIX path, as text."""
    found: dict[str, str] = {}
    for pattern in CONTENT:
        for path in sorted(root.glob(pattern)):
            if path.is_file():
                found[path.relative_to(root).as_posix()] = path.read_text(encoding="utf-8")
    return dict(sorted(found.items()))


def check_path(relative: str) -> str:
    """Refuse anything that is not a content file inside the root."""
    path = PurePosixPath(relative)
    if path.is_absolute() or ".." in path.parts or not any(path.match(p) for p in _patterns()):
        raise ContentError(f"{relative!r} is not a content file the studio edits")
    return path.as_posix()


def _patterns() -> Iterator[str]:
    for pattern in CONTENT:
        yield pattern
        if "**/" in pattern:
            yield pattern.replace("**/", "")


def write_files(root: Path, files: dict[str, str], *, remove_others: bool) -> None:
    """Write `files` under `root`, each atomically; with `remove_others`, content files
    not in `files` are deleted (a rollback restores exactly the version's set)."""
    for relative, text in files.items():
        target = root / check_path(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, target)
    if remove_others:
        for relative in set(content_files(root)) - set(files):
            (root / relative).unlink()


class Workspace:
    def __init__(self, content_root: Path, draft_root: Path) -> None:
        self.content_root = content_root
        self.root = draft_root
        with _LOCKS_GUARD:
            self.lock = _LOCKS.setdefault(draft_root.resolve(), threading.RLock())

    @classmethod
    def for_settings(cls, settings: Settings) -> Workspace:
        return cls(settings.content_root, settings.data_dir / "studio" / "draft")

    def ensure(self) -> Workspace:
        """Start the draft from the live content the first time."""
        with self.lock:
            if not (self.root / MARKER).is_file():
                self.reset()
        return self

    def reset(self) -> None:
        """Throw the draft away: it becomes the live content again."""
        with self.lock:
            if self.root.exists():
                shutil.rmtree(self.root)
            self.root.mkdir(parents=True)
            write_files(self.root, content_files(self.content_root), remove_others=False)
            (self.root / MARKER).write_text("the studio's draft; edit it in the studio\n")

    def files(self) -> dict[str, str]:
        self.ensure()
        return content_files(self.root)

    def live_files(self) -> dict[str, str]:
        return content_files(self.content_root)

    def changed(self) -> list[str]:
        """Paths whose draft differs from the live content (added, edited or removed)."""
        draft, live = self.files(), self.live_files()
        return sorted(p for p in set(draft) | set(live) if draft.get(p) != live.get(p))

    def read(self, relative: str) -> str:
        self.ensure()
        return (self.root / check_path(relative)).read_text(encoding="utf-8")

    def write(self, relative: str, text: str) -> None:
        with self.lock:
            self.ensure()
            write_files(self.root, {check_path(relative): text}, remove_others=False)

    def load_yaml(self, relative: str) -> Any:
        return yaml().load(self.read(relative))

    def dump_yaml(self, relative: str, data: Any) -> None:
        buffer = StringIO()
        yaml(self.read(relative)).dump(data, buffer)
        self.write(relative, buffer.getvalue())

    def add_nlu_example(self, intent: str, text: str, relative: str | None = None) -> None:
        """Add one training example to an intent (from the least-understood messages),
        in the file that intent's examples are in unless `relative` says otherwise."""
        relative = relative or nlu_file_of(intent)
        example = " ".join(text.split())
        if not example:
            raise ContentError("the example is empty")
        if len(example) > 500:
            raise ContentError("an example can be at most 500 characters")
        with self.lock:
            data = self.load_yaml(relative)
            for entry in data.get("nlu", []):
                if entry.get("intent") == intent:
                    lines = str(entry.get("examples", "")).rstrip("\n").splitlines()
                    if f"- {example}" in (line.strip() for line in lines):
                        return
                    lines.append(f"- {example}")
                    entry["examples"] = LiteralScalarString("\n".join(lines) + "\n")
                    self.dump_yaml(relative, data)
                    return
            raise ContentError(f"there is no intent {intent!r} in {relative}")

    def intents(self) -> list[str]:
        domain = self.load_yaml("domain.yml")
        return [
            str(i) if not isinstance(i, dict) else str(next(iter(i)))
            for i in domain.get("intents", [])
        ]


def nlu_file_of(intent: str) -> str:
    """The file with the examples of `intent`: a topic's are apart from the built-in ones."""
    return TOPIC_NLU if is_topic(intent) else NLU
