"""Reading a SchemaDecoder checkpoint: safetensors weights and a JSON sidecar.

Writing one needs the trainer (DecoderTrainer.save in helpers.decoder_training); reading one
does not, so inference loads the decoder from here without importing any training code.
"""

from __future__ import annotations

import json
from pathlib import Path

from safetensors.torch import load_file

from helpers.checkpoint import CheckpointError
from helpers.decoder import DecoderConfig, SchemaDecoder
from helpers.device import pick_device
from helpers.paths import data_file
from helpers.tokenizer import Vocab


def decoder_paths(path: Path | str | None) -> tuple[Path, Path]:
    """The weights file and its JSON sidecar (default: the shipped decoder in data/)."""
    base = Path(path) if path else data_file("schema_decoder.safetensors")
    return base.with_suffix(".safetensors"), base.with_suffix(".json")


def read_decoder(path: Path | str | None = None, device: str | None = None) -> tuple:
    """(model, vocab, metadata, all tensors) from a decoder checkpoint, with clear errors."""
    weights, sidecar = decoder_paths(path)
    for needed in (weights, sidecar):
        if not needed.exists():
            raise CheckpointError(f"{needed}: file not found (notebook 08 writes it)")
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
        tensors = load_file(str(weights))
        model = SchemaDecoder(DecoderConfig(**meta["config"]))
        state = {k[len("model."):]: v for k, v in tensors.items() if k.startswith("model.")}
        if model.cfg.tie_weights:  # saved once; the head shares the embedding matrix
            state["head.weight"] = state["embedding.weight"]
        model.load_state_dict(state)
        vocab = Vocab.from_dict(meta["vocab"])
    except (ValueError, KeyError, TypeError, RuntimeError, OSError) as e:
        message = f"{weights}: not a decoder checkpoint of this version ({e})"
        raise CheckpointError(message) from None
    return model.to(pick_device(device)).eval(), vocab, meta, tensors
