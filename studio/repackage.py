"""A new model without training, when only what Rasa's policies never see changed.

Rasa trains its policies on a domain stripped of response texts and form questions
(`DomainForCoreTrainingProvider`), and NLU on the training data alone. When config.yml,
data/ and that stripped domain are unchanged, the live model's trained components are
exactly what training would produce again: the new model is the live one with the new
domain written into it (its metadata, which the NLG reads, and the domain provider's
copy, which the policies read). Seconds instead of minutes.
"""

from __future__ import annotations

import json
import os
import tarfile
import tempfile
import warnings
from pathlib import Path
from typing import Any

from rasa.graph_components.providers.domain_for_core_training_provider import (
    DomainForCoreTrainingProvider,
)
from rasa.shared.core.domain import Domain

from bot import rasa_model

DOMAIN_COPY = "components/domain_provider/domain.yml"


def _domain(root: Path) -> Domain:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Rasa 3's notice about slot auto-fill, every load
        return Domain.load(root / "domain.yml")


def _policies_view(domain: Domain) -> dict[str, Any]:
    view: dict[str, Any] = DomainForCoreTrainingProvider.create_pruned_version(domain).as_dict()
    return view


def _training_data(root: Path) -> dict[str, bytes]:
    files = {
        p.relative_to(root).as_posix(): p.read_bytes() for p in rasa_model.training_files(root)
    }
    files.pop("domain.yml", None)
    return files


def repackageable(live_root: Path, new_root: Path) -> bool:
    """True when only responses or form questions differ between the two trees."""
    if _training_data(live_root) != _training_data(new_root):
        return False
    return _policies_view(_domain(live_root)) == _policies_view(_domain(new_root))


def repackage(source: Path, new_root: Path, target: Path) -> Path:
    """Write `target`: `source` with the domain of `new_root`."""
    domain = _domain(new_root)
    with tempfile.TemporaryDirectory(prefix="parley-repackage-") as scratch:
        unpacked = Path(scratch) / "model"
        with tarfile.open(source, "r:gz") as archive:
            archive.extractall(unpacked, filter="data")
        metadata_path = unpacked / "metadata.json"
        metadata = json.loads(metadata_path.read_text(encoding="utf-8"))
        metadata["domain"] = domain.as_dict()
        metadata_path.write_text(json.dumps(metadata), encoding="utf-8")
        if (unpacked / DOMAIN_COPY).is_file():
            domain.persist(unpacked / DOMAIN_COPY)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        os.close(handle)
        with tarfile.open(temporary, "w:gz") as archive:
            for path in sorted(unpacked.rglob("*")):
                archive.add(path, arcname=path.relative_to(unpacked).as_posix(), recursive=False)
        os.replace(temporary, target)
    return target
