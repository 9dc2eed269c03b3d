"""Saving and loading a trained SchemaPredictor: safetensors weights plus a JSON sidecar.

No pickle anywhere: a checkpoint file can only ever contain tensors and plain JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import torch
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file

from helpers.device import pick_device
from helpers.model import ModelConfig, SchemaPredictor
from helpers.paths import data_file
from helpers.tokenizer import ColumnVocab, Vocab, encode_batch

FORMAT = "schema-predictor/1"
DEFAULT_CHECKPOINT = "schema_predictor.safetensors"


class CheckpointError(ValueError):
    """A checkpoint exists but cannot be used: corrupt, or not matching its own config."""


@dataclass
class TrainedModel:
    """A model with everything needed to read prompts and decide on columns."""

    model: SchemaPredictor
    vocab: Vocab
    columns: ColumnVocab
    threshold: float
    metadata: dict = field(default_factory=dict)

    @property
    def device(self) -> torch.device:
        return next(self.model.parameters()).device

    def encode(self, prompts: list[str]) -> torch.Tensor:
        """Prompts -> padded ids on the model's device: (batch, seq[, pieces])."""
        cfg = self.model.cfg
        ids = encode_batch(prompts, self.vocab, cfg.max_len, cfg.subwords, cfg.folded)
        return ids.to(self.device)


def paths_for(path: Path | str | None) -> tuple[Path, Path]:
    """The weights file and its JSON sidecar, from either name (or the shipped default)."""
    weights = Path(path) if path else data_file(DEFAULT_CHECKPOINT)
    return weights.with_suffix(".safetensors"), weights.with_suffix(".json")


def save_checkpoint(
    trained: TrainedModel, path: Path | str | None = None, **extra_metadata
) -> tuple[Path, Path]:
    """Write weights (.safetensors) and config, vocabularies and threshold (.json)."""
    weights, sidecar = paths_for(path)
    state = {k: v.detach().cpu().contiguous() for k, v in trained.model.state_dict().items()}
    save_file(state, str(weights), metadata={"format": FORMAT})
    meta = {
        "format": FORMAT,
        "config": trained.model.cfg.to_dict(),
        "threshold": trained.threshold,
        "vocab": trained.vocab.to_dict(),
        "columns": trained.columns.to_dict(),
        **extra_metadata,
    }
    sidecar.write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return weights, sidecar


def read_metadata(sidecar: Path) -> dict:
    """The JSON sidecar, checked for the fields a model needs."""
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise CheckpointError(f"{sidecar}: not valid JSON (line {e.lineno}: {e.msg})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise CheckpointError(f"{sidecar}: not a {FORMAT} checkpoint description")
    missing = [k for k in ("config", "threshold", "vocab", "columns") if k not in meta]
    if missing:
        raise CheckpointError(f"{sidecar}: missing {', '.join(missing)}")
    return meta


def build_model(meta: dict, sidecar: Path) -> tuple[SchemaPredictor, Vocab, ColumnVocab]:
    """An untrained model shaped by the sidecar, and its vocabularies."""
    try:
        cfg = ModelConfig(**{"folded": False, **meta["config"]})  # older files: appended layout
        vocab, columns = Vocab.from_dict(meta["vocab"]), ColumnVocab.from_dict(meta["columns"])
    except (TypeError, KeyError, ValueError) as e:
        raise CheckpointError(f"{sidecar}: bad config or vocabulary ({e})") from None
    if (cfg.vocab_size, cfg.num_columns) != (len(vocab), len(columns)):
        raise CheckpointError(
            f"{sidecar}: config says {cfg.vocab_size} tokens and {cfg.num_columns} columns, "
            f"the vocabularies hold {len(vocab)} and {len(columns)}"
        )
    return SchemaPredictor(cfg), vocab, columns


def load_checkpoint(
    path: Path | str | None = None, device: str | torch.device | None = None
) -> TrainedModel:
    """Load a checkpoint written by save_checkpoint (default: the one shipped in data/)."""
    weights, sidecar = paths_for(path)
    for needed in (weights, sidecar):
        if not needed.exists():
            raise FileNotFoundError(
                f"no checkpoint file {needed}: train one with notebooks/04_training_loop.ipynb"
            )
    meta = read_metadata(sidecar)
    model, vocab, columns = build_model(meta, sidecar)
    try:
        state = load_file(str(weights))
    except (SafetensorError, OSError) as e:
        raise CheckpointError(f"{weights}: not a readable safetensors file ({e})") from None
    try:
        model.load_state_dict(state, strict=True)
    except RuntimeError as e:
        detail = str(e).split("\n", 1)[-1].strip()
        raise CheckpointError(f"{weights}: weights do not match {sidecar.name}: {detail}") from None
    model.to(pick_device(str(device) if device else None)).eval()
    return TrainedModel(model, vocab, columns, float(meta["threshold"]), meta)
