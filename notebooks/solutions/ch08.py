"""Solutions to the exercises of 08 · A GPT-style decoder. Try them yourself first."""

from __future__ import annotations

import torch

import helpers
from helpers.decoder import END, SEP
from helpers.decoder_training import prompt_tokens


@torch.no_grad()
def beam_search(prompt: str, width: int = 3, model=None, max_columns: int = 16) -> list[str]:
    """Exercise 1: keep the `width` best partial schemas by summed log-probability."""
    trained = model or helpers.load_decoder()
    vocab, net = trained.vocab, trained.model
    start = vocab.encode([*prompt_tokens(prompt), SEP])
    end_id = vocab.index[END]
    beams = [(0.0, [], False)]  # (log-probability, written ids, finished)
    for _ in range(max_columns):
        candidates = []
        for score, written, done in beams:
            if done:
                candidates.append((score, written, True))
                continue
            logits, _ = net(torch.tensor([start + written], device=trained.device))
            logp = logits[0, -1].log_softmax(-1)
            best = logp.topk(width)
            for lp, token in zip(best.values.tolist(), best.indices.tolist(), strict=True):
                finished = token == end_id
                candidates.append((score + lp, written if finished else written + [token],
                                   finished))
        beams = sorted(candidates, key=lambda c: -c[0])[:width]
        if all(done for _, _, done in beams):
            break
    return helpers.clean_columns(vocab.decode(beams[0][1]), trained.columns)


def untied_comparison(epochs: int = 20) -> dict[str, dict]:
    """Exercise 2: parameters, validation perplexity and held-out F1, tied against untied."""
    pairs = helpers.load_decoder_pairs()
    results = {}
    for tie in (True, False):
        cfg = helpers.DecoderTrainConfig(epochs=epochs, progress=False)
        trainer = helpers.DecoderTrainer.create(pairs, cfg, tie_weights=tie).fit()
        decoder = helpers.TrainedDecoder(trainer.model, trainer.vocab, trainer.columns)
        report = helpers.heldout_report(lambda p, d=decoder: helpers.generate_columns(p, model=d))
        results["tied" if tie else "untied"] = {
            "parameters": trainer.model.num_parameters(),
            "perplexity": trainer.history[-1]["perplexity"], "macro_f1": report["macro_f1"]}
    return results


def more_extras(extra_rate: float = 0.8, epochs: int = 20) -> dict:
    """Exercise 3: retrain with more requests that name extra columns; score both sets."""
    import json

    pairs = helpers.decoder_pairs(extra_rate=extra_rate)
    trainer = helpers.DecoderTrainer.create(
        pairs, helpers.DecoderTrainConfig(epochs=epochs, progress=False)).fit()
    decoder = helpers.TrainedDecoder(trainer.model, trainer.vocab, trainer.columns)
    items = json.loads(helpers.data_file("compositional_prompts.json").read_text())["prompts"]
    passed = sum(all(c in helpers.generate_columns(i["prompt"], model=decoder) for c in i["named"])
                 for i in items)
    report = helpers.heldout_report(lambda p: helpers.generate_columns(p, model=decoder))
    return {"compositional": passed, "of": len(items), "macro_f1": report["macro_f1"]}


if __name__ == "__main__":
    print(beam_search("generate a hospital dataset"))
    print(untied_comparison())
    print(more_extras())
