"""Training the SchemaDecoder: the loop, and checkpoints that resume exactly.

Only the schema part is scored: the prompt is given, never predicted, so its positions are
left out of the loss (label -100, which cross-entropy ignores).
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch
from safetensors.torch import save_file
from torch import Tensor, nn
from tqdm.std import tqdm

from helpers.checkpoint import CheckpointError
from helpers.decoder import DecoderConfig, SchemaDecoder
from helpers.decoder_checkpoint import decoder_paths, read_decoder
from helpers.decoder_data import (  # noqa: F401  re-exported: importable from here as before
    IGNORE,
    PROMPT_TOKENS,
    Pairs,
    build_decoder_vocab,
    encode_sequences,
    from_record,
    load_decoder_pairs,
    output_columns,
    prompt_tokens,
    sequence,
    to_record,
)
from helpers.device import pick_device
from helpers.tokenizer import Vocab
from helpers.training import split_pairs

# The sequences (helpers.decoder_data) and checkpoint reading (helpers.decoder_checkpoint) live
# outside this module so that writing with a trained decoder never imports training code; the
# names above are re-exported so that `from helpers.decoder_training import ...` keeps working.


@dataclass
class DecoderTrainConfig:
    """How to train; the defaults reproduce the shipped decoder."""

    seed: int = 0
    epochs: int = 20
    batch_size: int = 64
    lr: float = 3e-3
    warmup_steps: int = 60  # the learning rate rises linearly over these, then follows a cosine
    weight_decay: float = 0.01
    grad_clip: float = 1.0  # a rare huge gradient is cut to this norm instead of wrecking a step
    val_fraction: float = 0.1
    min_freq: int = 2
    keep_best: bool = True  # at the last epoch, go back to the weights of the best validation loss
    progress: bool = True

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class DecoderTrainer:
    """The model, its optimiser and where training stands: everything a resume needs."""

    model: SchemaDecoder
    vocab: Vocab
    cfg: DecoderTrainConfig
    train: tuple[Tensor, Tensor]
    val: tuple[Tensor, Tensor]
    optimizer: torch.optim.Optimizer
    generator: torch.Generator
    step: int = 0
    epoch: int = 0
    history: list[dict] = field(default_factory=list)
    seconds: float = 0.0  # wall time of the last fit()
    columns: list[str] = field(default_factory=list)  # the names it may write
    best_epoch: int = 0  # lowest validation loss so far, and the weights it had then
    best_state: dict[str, Tensor] = field(default_factory=dict)

    @classmethod
    def create(cls, pairs: Pairs, cfg: DecoderTrainConfig | None = None,
               device: str | None = None, **model_options) -> DecoderTrainer:
        """A fresh trainer on `pairs` (split into train and validation with cfg.seed)."""
        cfg = cfg or DecoderTrainConfig()
        torch.manual_seed(cfg.seed)
        train, val = split_pairs(pairs, cfg.val_fraction, cfg.seed)
        vocab = build_decoder_vocab(train, cfg.min_freq)
        model_cfg = DecoderConfig(len(vocab), pad_id=vocab.pad_id, **model_options)
        model = SchemaDecoder(model_cfg).to(pick_device(device))
        return cls(model, vocab, cfg, *cls._tensors(train, val, vocab, model),
                   cls._optimizer(model, cfg), torch.Generator().manual_seed(cfg.seed),
                   columns=output_columns(train))

    @staticmethod
    def _tensors(train: Pairs, val: Pairs, vocab: Vocab, model: SchemaDecoder) -> tuple:
        device = next(model.parameters()).device
        def on(t: tuple[Tensor, Tensor]) -> tuple[Tensor, Tensor]:
            return t[0].to(device), t[1].to(device)
        max_len = model.cfg.max_len
        return (on(encode_sequences(train, vocab, max_len)),
                on(encode_sequences(val, vocab, max_len)))

    @staticmethod
    def _optimizer(model: SchemaDecoder, cfg: DecoderTrainConfig) -> torch.optim.Optimizer:
        return torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)

    @property
    def total_steps(self) -> int:
        return self.cfg.epochs * -(-len(self.train[0]) // self.cfg.batch_size)

    def lr_at(self, step: int) -> float:
        """Linear warm-up to cfg.lr, then cosine decay to 10% of it at the last step."""
        if step < self.cfg.warmup_steps:
            return self.cfg.lr * (step + 1) / self.cfg.warmup_steps
        progress = (step - self.cfg.warmup_steps) / max(1, self.total_steps - self.cfg.warmup_steps)
        return self.cfg.lr * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(1.0, progress))))

    def train_epoch(self) -> float:
        """One pass over the training sequences in random order; returns the mean loss."""
        self.model.train()
        x, y = self.train
        total = 0.0
        for idx in torch.randperm(len(x), generator=self.generator).split(self.cfg.batch_size):
            idx = idx.to(x.device)
            width = int((x[idx] != self.vocab.pad_id).sum(1).max())  # drop all-padding columns
            hidden, _ = self.model.features(x[idx, :width])      # (batch, seq, embed)
            labels = y[idx, :width]
            scored = labels != IGNORE                             # the schema part only
            logits = self.model.head(hidden[scored])              # (n_scored, vocab)
            loss = nn.functional.cross_entropy(logits, labels[scored])
            for group in self.optimizer.param_groups:
                group["lr"] = self.lr_at(self.step)
            self.optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(self.model.parameters(), self.cfg.grad_clip)
            self.optimizer.step()
            self.step += 1
            total += loss.item() * len(idx)
        return total / len(x)

    @torch.no_grad()
    def evaluate(self) -> dict:
        """Validation loss, perplexity and next-token accuracy, on the schema part only."""
        self.model.eval()
        x, y = self.val
        hidden, _ = self.model.features(x)
        scored = y != IGNORE
        logits = self.model.head(hidden[scored])  # (n_scored, vocab)
        loss = nn.functional.cross_entropy(logits, y[scored]).item()
        accuracy = (logits.argmax(-1) == y[scored]).float().mean().item()
        return {"val_loss": loss, "perplexity": math.exp(loss), "accuracy": accuracy}

    def fit(self, until_epoch: int | None = None) -> DecoderTrainer:
        """Train up to `until_epoch` (default cfg.epochs), recording history each epoch."""
        until = until_epoch or self.cfg.epochs
        start = time.perf_counter()
        bar = tqdm(range(self.epoch + 1, until + 1), desc="training", unit="epoch",
                   disable=not self.cfg.progress, mininterval=3.0)
        for epoch in bar:
            train_loss = self.train_epoch()
            self.epoch = epoch
            self.history.append({"epoch": epoch, "train_loss": train_loss, **self.evaluate(),
                                 "lr": self.lr_at(self.step - 1)})
            self.remember_if_best()
            bar.set_postfix(val_ppl=f"{self.history[-1]['perplexity']:.2f}")
        bar.close()
        if self.cfg.keep_best and self.epoch == self.cfg.epochs and self.best_state:
            self.model.load_state_dict(self.best_state)  # training is over: keep the best epoch
        self.seconds = time.perf_counter() - start
        self.model.eval()
        return self

    def remember_if_best(self) -> None:
        """Copy the weights when this epoch's validation loss is the lowest so far."""
        losses = {h["epoch"]: h["val_loss"] for h in self.history}
        if not self.best_epoch or losses[self.epoch] < losses[self.best_epoch]:
            self.best_epoch = self.epoch
            self.best_state = {k: v.detach().clone() for k, v in self.model.state_dict().items()}

    def save(self, path: Path | str, resumable: bool = True) -> tuple[Path, Path]:
        """Weights (and, if resumable, optimiser moments and RNG states) as safetensors; configs,
        vocabulary, step and history as JSON."""
        weights, sidecar = decoder_paths(path)
        tensors = {f"model.{k}": v.detach().cpu().contiguous()
                   for k, v in self.model.state_dict().items() if k != "head.weight"
                   or not self.model.cfg.tie_weights}
        meta = {"format": "schema-decoder/1", "config": self.model.cfg.to_dict(),
                "train": self.cfg.to_dict(), "vocab": self.vocab.to_dict(),
                "columns": self.columns, "step": self.step,
                "epoch": self.epoch, "best_epoch": self.best_epoch, "history": self.history,
                "resumable": resumable}
        if resumable:
            for k, v in self.best_state.items():  # the best epoch so far, to keep after a resume
                if k != "head.weight" or not self.model.cfg.tie_weights:
                    tensors[f"best.{k}"] = v.detach().cpu().contiguous()
            state = self.optimizer.state_dict()
            for i, moments in state["state"].items():
                for name, value in moments.items():
                    tensors[f"optim.{i}.{name}"] = value.detach().cpu().contiguous()
            meta["param_groups"] = state["param_groups"]
            tensors["rng.batches"] = self.generator.get_state()
            tensors["rng.torch"] = torch.get_rng_state()
        weights.parent.mkdir(parents=True, exist_ok=True)
        save_file(tensors, str(weights))
        sidecar.write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
        return weights, sidecar

    @classmethod
    def resume(cls, path: Path | str, pairs: Pairs, device: str | None = None) -> DecoderTrainer:
        """Rebuild a trainer from save(..., resumable=True) and the same pairs; training then
        continues exactly as if it had never stopped."""
        model, vocab, meta, tensors = read_decoder(path, device)
        if not meta.get("resumable"):
            raise CheckpointError(f"{path}: saved without optimiser state; it cannot be resumed")
        cfg = DecoderTrainConfig(**meta["train"])
        train, val = split_pairs(pairs, cfg.val_fraction, cfg.seed)
        optimizer = cls._optimizer(model, cfg)
        state = {"param_groups": meta["param_groups"], "state": {}}
        for key, value in tensors.items():
            if key.startswith("optim."):
                _, i, name = key.split(".")
                state["state"].setdefault(int(i), {})[name] = value
        optimizer.load_state_dict(state)
        generator = torch.Generator()
        generator.set_state(tensors["rng.batches"])
        torch.set_rng_state(tensors["rng.torch"])
        best = {k[len("best."):]: v.to(next(model.parameters()).device)
                for k, v in tensors.items() if k.startswith("best.")}
        if best and model.cfg.tie_weights:
            best["head.weight"] = best["embedding.weight"]
        return cls(model, vocab, cfg, *cls._tensors(train, val, vocab, model), optimizer,
                   generator, meta["step"], meta["epoch"], meta["history"],
                   columns=meta["columns"], best_epoch=meta.get("best_epoch", 0),
                   best_state=best)
