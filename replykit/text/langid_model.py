"""py3langid's model restricted to a few languages, kept in the pack cache so a cold start skips LZMA.

The packaged model is LZMA-compressed (4.5 MB -> 68 MB) and takes ~0.8 s to unpack on every start; the
restricted arrays, stored uncompressed as a plain .npz (read with allow_pickle=False) in the private
cache folder, load in a few hundredths of a second. A missing, unsafe or unreadable cache falls back to
the packaged model.
"""
from __future__ import annotations

import io
import logging
from array import array
from importlib import metadata
from typing import Iterable

import numpy as np

from ..pack import cachedir

log = logging.getLogger(__name__)


def _cache_name(codes: list[str]) -> str:
    return f"langid-{metadata.version('py3langid')}-{'-'.join(codes)}.npz"


def load_identifier(codes: Iterable[str]):  # noqa: ANN201 - py3langid's LanguageIdentifier
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    wanted = sorted(set(codes))
    name = _cache_name(wanted)
    where = cachedir.location()
    if where is not None:
        try:
            with cachedir.PrivateDir(where) as folder:
                with np.load(io.BytesIO(folder.read(name)), allow_pickle=False) as data:
                    return LanguageIdentifier(
                        data["ptc"], data["pc"], data["classes"].tolist(), array("I", data["nextmove"].tobytes()),
                        data["out_feat"].tolist(), norm_probs=True, tk_row=array("I", data["row"].tobytes()))
        except (OSError, ValueError, KeyError) as exc:
            log.debug("language model cache not used: %s", exc)
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages([c for c in wanted if c in identifier.labels])
    if where is not None:
        buffer = io.BytesIO()
        np.savez(buffer, ptc=np.ascontiguousarray(identifier.nb_ptc), pc=np.asarray(identifier.nb_pc),
                 classes=np.array(identifier.nb_classes),
                 nextmove=np.asarray(identifier.tk_nextmove, dtype=np.uint32),
                 row=np.asarray(identifier.tk_row, dtype=np.uint32),
                 out_feat=np.asarray(identifier.tk_output, dtype=np.int32))
        try:
            with cachedir.PrivateDir(where, create=True) as folder:
                folder.write(name, buffer.getvalue())
        except OSError as exc:
            log.debug("language model cache not written: %s", exc)
    return identifier
