"""What a studio publish costs, side by side in one run (by hand: `.venv/bin/python bench/publish.py`).

On a copy of the content, one response's wording changes. The model for it is made
  repackage  the way a publish does it: the live model with the new domain (studio/repackage.py)
  train      the way it would be without that: `rasa train` into an empty models folder
and the validation a save and a publish run (Parley's lints and Rasa's validator) is timed.
Nothing is served; the trained models are thrown away.
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import rasa_model  # noqa: E402
from studio.repackage import repackage, repackageable  # noqa: E402
from studio.validation import validate_draft  # noqa: E402
from studio.workspace import content_files, write_files, yaml  # noqa: E402


def _change_wording(root: Path) -> None:
    domain_file = root / "domain.yml"
    text = domain_file.read_text(encoding="utf-8")
    domain = yaml(text).load(text)
    domain["responses"]["utter_goodbye"][0]["text"] = "Cheerio, and thanks for dropping by!"
    out = io.StringIO()
    yaml(text).dump(domain, out)
    domain_file.write_text(out.getvalue(), encoding="utf-8")


def main() -> None:
    live = rasa_model.train(ROOT)  # the project's model: trained once per fingerprint
    with tempfile.TemporaryDirectory(prefix="parley-bench-publish-") as scratch:
        draft = Path(scratch) / "draft"
        write_files(draft, content_files(ROOT), remove_others=False)
        _change_wording(draft)
        assert repackageable(ROOT, draft)

        started = time.monotonic()
        problems = validate_draft(draft)
        validated = time.monotonic() - started
        assert not problems, problems
        started = time.monotonic()
        validate_draft(draft)
        validated_again = time.monotonic() - started

        started = time.monotonic()
        repackage(live, draft, Path(scratch) / "repackaged.tar.gz")
        repackaged = time.monotonic() - started

        started = time.monotonic()
        rasa_model.train(draft, Path(scratch) / "models", on_output=lambda _: None)
        trained = time.monotonic() - started

    print("| step | seconds |\n|---|---|")
    print(f"| validate (first in the process: Rasa loads) | {validated:.1f} |")
    print(f"| validate (again) | {validated_again:.1f} |")
    print(f"| model by repackaging the live one | {repackaged:.1f} |")
    print(f"| model by `rasa train` (empty cache) | {trained:.1f} |")
    print(f"| repackaging is {trained / repackaged:.0f}x faster | |")


if __name__ == "__main__":
    main()
