"""Training a SchemaPredictor: the one loop that notebook 04 and scripts both call."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field

import torch
from torch import Tensor, nn
from tqdm.std import tqdm

from helpers.catalog import load_catalog
from helpers.checkpoint import TrainedModel
from helpers.device import pick_device
from helpers.metrics import middle_of_plateau
from helpers.model import ModelConfig, SchemaPredictor
from helpers.pairs import training_pairs
from helpers.slots import TAGS
from helpers.tokenizer import (
    MAX_LEN,
    ColumnVocab,
    Vocab,
    encode_batch,
    encode_targets,
    tokenize,
    word_pieces,
)

Pairs = list[tuple[str, list[str]]]  # or (prompt, columns, tags): tags train the tag head
IGNORE = -100  # a tag target cross-entropy skips: [CLS], padding, prompts with no known tags


@dataclass
class TrainConfig:
    """How to train; the defaults reproduce the shipped checkpoint."""

    seed: int = 0
    epochs: int = 15
    batch_size: int = 64
    lr: float = 5e-3  # decays linearly to 5% of this over the run
    weight_decay: float = 0.3  # AdamW: pulls unused weights to zero (0: plain Adam)
    val_fraction: float = 0.1
    min_freq: int = 2  # tokens seen once are mostly one-off typos
    token_dropout: float = 0.2  # hide tokens as [UNK] so no single token is relied on
    patience: int = 5  # stop after this many epochs without a better validation loss
    tag_weight: float = 0.2  # joint loss = column loss + tag_weight * tag loss (notebook 10)
    log_every: int = 5  # print the losses every this many epochs
    progress: bool = True

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class TrainResult(TrainedModel):
    """The best model found (ready to predict and save), and how training went."""

    history: list[dict] = field(default_factory=list)
    best_epoch: int = 0
    seconds: float = 0.0
    sweep: list[dict] = field(default_factory=list)  # precision/recall/F1 per threshold


def seed_everything(seed: int) -> torch.Generator:
    """Seed Python and torch; return a generator for shuffling."""
    random.seed(seed)
    torch.manual_seed(seed)
    return torch.Generator().manual_seed(seed)


def split_pairs(pairs: Pairs, val_fraction: float, seed: int) -> tuple[Pairs, Pairs]:
    """Shuffle with `seed` and hold out `val_fraction` of the pairs for validation."""
    shuffled = pairs[:]
    random.Random(seed).shuffle(shuffled)
    n_val = max(1, int(len(shuffled) * val_fraction))
    return shuffled[n_val:], shuffled[:n_val]


def build_vocabs(
    train: Pairs, min_freq: int, max_len: int = MAX_LEN, subwords: bool = True,
    folded: bool = False,
) -> tuple[Vocab, ColumnVocab]:
    """Token vocab from the training prompts; column vocab from the whole catalog.

    Both layouts hold words and trigrams; the folded one adds the length of each number.
    """
    if folded:
        pieces = ([t for word in word_pieces(p[0], max_len, subwords) for t in word]
                  for p in train)
    else:
        pieces = (tokenize(p[0], max_len, subwords) for p in train)
    vocab = Vocab.build(pieces, min_freq=min_freq)
    return vocab, ColumnVocab.build(load_catalog().values())


def hide_tokens(ids: Tensor, rate: float, unk_id: int, pad_id: int, gen: torch.Generator) -> Tensor:
    """Replace a `rate` share of real tokens (never [CLS] or padding) by [UNK]."""
    hide = torch.rand(ids.shape, generator=gen) < rate
    hide[:, 0] = False
    return ids.masked_fill(hide.to(ids.device) & (ids != pad_id), unk_id)


def trim_padding(ids: Tensor, pad_id: int) -> Tensor:
    """Drop the padding positions (and pieces) no row in this batch needs: attention is seq²."""
    if ids.dim() == 3:
        pieces = int((ids != pad_id).sum(2).max())
        return ids[:, : int((ids[..., 0] != pad_id).sum(1).max()), :pieces]
    width = int((ids != pad_id).sum(1).max())
    return ids[:, :width]


def minibatches(lengths: Tensor, batch_size: int, gen: torch.Generator) -> Iterator[Tensor]:
    """Index batches covering every example once, in random order. Each batch holds prompts of
    similar length, so little time goes on padding."""
    shuffled = torch.randperm(len(lengths), generator=gen)
    by_length = shuffled[lengths[shuffled].argsort(stable=True)]
    batches = by_length.split(batch_size)
    for i in torch.randperm(len(batches), generator=gen).tolist():
        yield batches[i]


def example_f1(probs: Tensor, targets: Tensor, threshold: float) -> Tensor:
    """Per-example F1 of thresholded probabilities, (batch,); empty vs empty scores 1."""
    pred, true = probs >= threshold, targets > 0.5
    hits = (pred & true).sum(1).float()
    total = pred.sum(1) + true.sum(1)
    return torch.where(total == 0, torch.ones_like(hits), 2 * hits / total.clamp(min=1))


def encode_tags(tag_lists: list[list[str] | None], seq: int) -> Tensor:
    """Tag ids at each word's position (word i sits at position i + 1, after [CLS]): (n, seq);
    IGNORE at [CLS], padding, words cut off, and for prompts whose tags are unknown (None)."""
    out = torch.full((len(tag_lists), seq), IGNORE, dtype=torch.long)
    index = {t: i for i, t in enumerate(TAGS)}
    for row, tags in enumerate(tag_lists):
        ids = [index[t] for t in (tags or [])][: seq - 1]
        out[row, 1 : 1 + len(ids)] = torch.tensor(ids, dtype=torch.long)
    return out


def tag_loss(logits: Tensor, targets: Tensor) -> Tensor:
    """Cross-entropy over the words that have a known tag; logits (batch, seq, tags)."""
    if (targets != IGNORE).sum() == 0:
        return logits.sum() * 0.0  # a batch with no tagged prompt: no tag signal
    return nn.functional.cross_entropy(logits.flatten(0, 1), targets.flatten(),
                                       ignore_index=IGNORE)


@torch.no_grad()
def evaluate(model: SchemaPredictor, x: Tensor, y: Tensor, threshold: float = 0.5,
             tags: Tensor | None = None, tag_weight: float = 1.0) -> dict:
    """Loss and mean per-example F1 on a whole (small) set; with `tags`, the joint loss and the
    share of tagged words given the right tag."""
    model.eval()
    if tags is None:
        logits = model(x)
        loss = nn.functional.binary_cross_entropy_with_logits(logits, y)
        return {"loss": loss.item(), "f1": example_f1(logits.sigmoid(), y, threshold).mean().item()}
    logits, tag_logits = model.read(x)
    tags = tags[:, : tag_logits.size(1)]
    loss = nn.functional.binary_cross_entropy_with_logits(logits, y)
    loss = loss + tag_weight * tag_loss(tag_logits, tags)
    known = tags != IGNORE
    accuracy = (tag_logits.argmax(-1) == tags)[known].float().mean().item()
    return {"loss": loss.item(), "f1": example_f1(logits.sigmoid(), y, threshold).mean().item(),
            "tag_accuracy": accuracy}


def choose_threshold(probs: Tensor, targets: Tensor) -> tuple[float, list[dict]]:
    """The threshold with the best mean F1 on a validation set, and the whole sweep."""
    sweep = []
    for t in torch.arange(0.05, 0.96, 0.05).tolist():
        pred, true = probs >= t, targets > 0.5
        hits = (pred & true).sum().item()
        sweep.append({
            "threshold": round(t, 2),
            "precision": hits / max(1, pred.sum().item()),
            "recall": hits / max(1, true.sum().item()),
            "f1": example_f1(probs, targets, t).mean().item(),
        })
    # F1 is flat over a wide range; the middle of that plateau is the choice least sensitive
    # to prompts that look different from the validation set.
    return middle_of_plateau(sweep, "f1"), sweep


def train_schema_predictor(
    pairs: Pairs | None = None,
    train_cfg: TrainConfig | None = None,
    device: str | torch.device | None = None,
    **model_options,
) -> TrainResult:
    """Train on `pairs` (default: training_pairs(seed)) and return the best model by validation
    loss. `model_options` override ModelConfig fields (embed_dim, num_layers, ff_dim, ...).

    Pairs of three, (prompt, columns, tags), train a tag head too, with the joint loss
    column loss + tag_weight * tag loss (notebook 10); tags None: that prompt's are unknown."""
    cfg = train_cfg or TrainConfig()
    device = pick_device(str(device) if device else None)
    gen = seed_everything(cfg.seed)
    pairs = pairs or training_pairs(cfg.seed)
    tagged = any(len(p) == 3 for p in pairs)
    if tagged:
        model_options.setdefault("num_tags", len(TAGS))
    train, val = split_pairs(pairs, cfg.val_fraction, cfg.seed)
    max_len = model_options.get("max_len", MAX_LEN)
    vocab, columns = build_vocabs(train, cfg.min_freq, max_len, model_options.get("subwords", True),
                                  model_options.get("folded", ModelConfig.folded))
    model_cfg = ModelConfig(len(vocab), len(columns), pad_id=vocab.pad_id, **model_options)
    model = SchemaPredictor(model_cfg).to(device)

    def tensors(split: Pairs) -> tuple[Tensor, Tensor, Tensor | None]:
        prompts = [p[0] for p in split]
        x = encode_batch(prompts, vocab, model_cfg.max_len, model_cfg.subwords,
                         model_cfg.folded)  # (n, seq) or (n, seq, pieces)
        y = encode_targets([p[1] for p in split], columns)  # (n, num_columns)
        t = encode_tags([p[2] if len(p) == 3 else None for p in split], x.size(1))  # (n, seq)
        return x.to(device), y.to(device), t.to(device) if tagged else None

    (x_train, y_train, t_train), (x_val, y_val, t_val) = tensors(train), tensors(val)
    lengths = ((x_train if x_train.dim() == 2 else x_train[..., 0]) != vocab.pad_id).sum(1).cpu()
    if cfg.weight_decay:
        optimizer = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    else:
        optimizer = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    # Linear decay to 5% of the learning rate: big steps first, then settle (less seed noise).
    steps = cfg.epochs * -(-len(x_train) // cfg.batch_size)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: 1 - 0.95 * min(1, s / steps))
    loss_fn = nn.BCEWithLogitsLoss()
    history, best_loss, best_state, best_epoch = [], float("inf"), None, 0
    start = time.perf_counter()
    bar = tqdm(range(1, cfg.epochs + 1), desc="training", unit="epoch", disable=not cfg.progress,
               mininterval=3.0)
    for epoch in bar:
        model.train()
        total = 0.0
        for idx in minibatches(lengths, cfg.batch_size, gen):
            ids = trim_padding(x_train[idx], vocab.pad_id)
            ids = hide_tokens(ids, cfg.token_dropout, vocab.unk_id, vocab.pad_id, gen)
            if t_train is None:
                logits = model(ids)                     # forward: (batch, num_columns)
                loss = loss_fn(logits, y_train[idx])    # how wrong, averaged over columns
            else:  # both heads, one encoder pass: (batch, num_columns), (batch, seq, tags)
                logits, tag_logits = model.read(ids)
                tags = t_train[idx][:, : ids.size(1)]
                loss = loss_fn(logits, y_train[idx]) + cfg.tag_weight * tag_loss(tag_logits, tags)
            optimizer.zero_grad()
            loss.backward()                         # gradients of the loss
            optimizer.step()                        # nudge every weight downhill
            schedule.step()
            total += loss.item() * len(idx)
        val = evaluate(model, x_val, y_val, tags=t_val, tag_weight=cfg.tag_weight)
        history.append({"epoch": epoch, "train_loss": total / len(x_train),
                        "val_loss": val["loss"], "val_f1": val["f1"],
                        **({"val_tag_accuracy": val["tag_accuracy"]} if tagged else {})})
        bar.set_postfix(train=f"{history[-1]['train_loss']:.4f}", val=f"{val['loss']:.4f}")
        if cfg.progress and (epoch % cfg.log_every == 0 or epoch == 1):
            tqdm.write(f"epoch {epoch:3d}  train loss {history[-1]['train_loss']:.4f}  "
                       f"val loss {val['loss']:.4f}  val F1 {val['f1']:.3f}")
        if val["loss"] < best_loss:
            best_loss, best_epoch = val["loss"], epoch
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        elif epoch - best_epoch >= cfg.patience:
            if cfg.progress:
                tqdm.write(f"early stop: no better validation loss since epoch {best_epoch}")
            break
    bar.close()
    model.load_state_dict(best_state)
    model.eval()
    with torch.no_grad():
        threshold, sweep = choose_threshold(model(x_val).sigmoid(), y_val)
    seconds = time.perf_counter() - start
    meta = {"train": cfg.to_dict(), "best_epoch": best_epoch}
    return TrainResult(model, vocab, columns, threshold, meta, history, best_epoch, seconds, sweep)
